import Foundation
import PointADSupport
import TensorCore

/// PointAD+'s cross-hierarchy contrastive alignment (reconstructed; see README "PointAD+ choices").
///
/// A point's *anomaly representation* in a layer is where its anomaly belief sits in that layer's
/// text space: a_j = normalise((1 − p_j) · t_normal + p_j · t_abnormal), with p_j the layer's
/// abnormal probability of the point and t the layer's prompt embeddings. It depends on the
/// prompts (the only learnable tensors) through both p and t, so the loss trains both prompt sets.
///
/// On M anchor points, with S_ab = ⟨a^r_a, a^g_b⟩ / τ (rendering rows, geometry columns), the loss is
/// the symmetric InfoNCE
///
///     L = ½ · [ mean_a −log softmax_b(S_a·)[a] + mean_b −log softmax_a(S_·b)[b] ],
///
/// pulling a point's two representations together and pushing apart those of other points.
/// Total training loss adds `weight · L` to the PointAD losses.
public struct CrossHierarchyAlignment: Sendable, Equatable, Codable {
    /// τ of the InfoNCE logits.
    public var temperature: Float = 0.1
    /// Weight of L in the total training loss.
    public var weight: Float = 0.1
    /// Anchor points sampled per cloud (all points when the cloud has fewer): the loss is O(M²).
    public var anchors: Int = 256

    public init(temperature: Float = 0.1, weight: Float = 0.1, anchors: Int = 256) {
        self.temperature = temperature
        self.weight = weight
        self.anchors = anchors
    }

    public func validate() throws {
        guard temperature > 0, temperature.isFinite else { throw UsageError("alignment: temperature must be > 0, got \(temperature)") }
        guard weight >= 0, weight.isFinite else { throw UsageError("alignment: weight must be ≥ 0, got \(weight)") }
        guard anchors >= 2 else { throw UsageError("alignment: anchors must be ≥ 2, got \(anchors)") }
    }

    /// `min(anchors, pointCount)` distinct point indices, ascending, drawn with `seed`.
    public func sampleAnchors(pointCount: Int, seed: UInt64) -> [Int] {
        if pointCount <= anchors { return Array(0..<pointCount) }
        var rng = SeededRandom(seed: seed)
        var pool = Array(0..<pointCount)
        // Partial Fisher–Yates: the first `anchors` entries become a uniform sample.
        for i in 0..<anchors {
            let j = i + Int(rng.next() % UInt64(pointCount - i))
            pool.swapAt(i, j)
        }
        return pool.prefix(anchors).sorted()
    }

    /// a_j = normalise((1 − p_j) t_normal + p_j t_abnormal) for each probability: `[M, D]`.
    public static func representations(probabilities: [Float], prompts: PromptFeatures) -> Tensor {
        let d = prompts.width
        let out = Tensor(zeros: [probabilities.count, d])
        let tn = prompts.embeddings.pointer, ta = tn + d, o = out.pointer
        for (j, p) in probabilities.enumerated() {
            let row = o + j * d
            for i in 0..<d { row[i] = (1 - p) * tn[i] + p * ta[i] }
        }
        out.l2NormalizeRows()
        return out
    }

    /// The symmetric InfoNCE loss and its gradient with respect to the logits S (`[M, M]`,
    /// row-major): ∂L/∂S = ½ · [(softmax_rows(S) − I) + (softmax_cols(S) − I)] / M.
    /// The caller chains it through S = A_r · A_gᵀ / τ and the representations.
    public func loss(rendering: Tensor, geometry: Tensor) throws -> (loss: Float, logitGradient: Tensor) {
        guard rendering.rank == 2, rendering.shape == geometry.shape, rendering.shape[0] >= 1 else {
            throw UsageError("alignment: representations of shapes \(rendering.shape) and \(geometry.shape)")
        }
        let m = rendering.shape[0]
        let logits = try rendering.matmul(geometry, transposeOther: true, alpha: 1 / temperature)  // [M, M]
        let s = logits.pointer
        // −log softmax(x)[i] = logsumexp(x) − x_i, in double; the softmaxes give the gradient.
        var total = 0.0
        let rowSoftmax = Tensor(zeros: [m, m]), columnSoftmax = Tensor(zeros: [m, m])  // columnSoftmax[b, a] = softmax over a of S[a, b]
        let r = rowSoftmax.pointer, c = columnSoftmax.pointer
        for a in 0..<m {
            let (lse, probabilities) = Self.logSumExp(count: m) { Double(s[a * m + $0]) }
            total += lse - Double(s[a * m + a])
            for b in 0..<m { r[a * m + b] = probabilities[b] }
        }
        for b in 0..<m {
            let (lse, probabilities) = Self.logSumExp(count: m) { Double(s[$0 * m + b]) }
            total += lse - Double(s[b * m + b])
            for a in 0..<m { c[b * m + a] = probabilities[a] }
        }
        let grad = Tensor(zeros: [m, m])
        let g = grad.pointer
        let scale = 0.5 / Float(m)
        for a in 0..<m {
            for b in 0..<m {
                let identity: Float = a == b ? 1 : 0
                g[a * m + b] = scale * ((r[a * m + b] - identity) + (c[b * m + a] - identity))
            }
        }
        return (Float(total * 0.5 / Double(m)), grad)
    }

    /// log Σ exp(x_i) and the softmax of x, in double.
    static func logSumExp(count: Int, _ x: (Int) -> Double) -> (Double, [Float]) {
        var top = -Double.infinity
        for i in 0..<count { top = max(top, x(i)) }
        var sum = 0.0
        var e = [Double](repeating: 0, count: count)
        for i in 0..<count { e[i] = Foundation.exp(x(i) - top); sum += e[i] }
        return (top + Foundation.log(sum), e.map { Float($0 / sum) })
    }
}
