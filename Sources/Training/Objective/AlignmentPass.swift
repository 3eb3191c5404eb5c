import Foundation
import TensorCore

/// PointAD+'s cross-hierarchy alignment on a set of anchor points, forward and backward, with the
/// definitions of `PointADModel.CrossHierarchyAlignment`: a point's anomaly representation in a
/// layer is a = normalise((1 − p)·t_normal + p·t_abnormal) (p its abnormal probability, t the
/// layer's normalised prompt embeddings); S = A_r·A_gᵀ/τ; L = symmetric InfoNCE with the same point
/// as the positive. Gradients flow to both probabilities and both prompt sets.
struct AlignmentPass {
    let loss: Double
    /// ∂L/∂p for the rendering-layer and geometry-layer probabilities of the anchors.
    let renderingProbabilityGradient: [Float]
    let geometryProbabilityGradient: [Float]
    /// ∂L/∂T for both prompt sets ([2, D], normalised embeddings).
    let renderingTextGradient: Tensor
    let geometryTextGradient: Tensor

    init(renderingProbabilities pr: [Float], geometryProbabilities pg: [Float], renderingText tr: Tensor,
         geometryText tg: Tensor, temperature: Float) throws {
        let m = pr.count, d = tr.shape[1]
        guard m >= 1, pg.count == m, tg.shape == tr.shape else {
            throw TensorError.invalidArgument("alignment: \(pr.count) and \(pg.count) anchors, text \(tr.shape) and \(tg.shape)")
        }
        let (ar, nr) = L2Normalization.forward(Self.mix(pr, tr))
        let (ag, ng) = L2Normalization.forward(Self.mix(pg, tg))
        let s = try ar.matmul(ag, transposeOther: true, alpha: 1 / temperature)
        // Symmetric InfoNCE: ½·mean over rows and over columns of logsumexp − diagonal.
        let dS = Tensor(zeros: [m, m])
        var total = 0.0
        let sp = s.pointer, gp = dS.pointer, scale = 0.5 / Double(m)
        for byRow in [true, false] {
            for a in 0..<m {
                let at: (Int) -> Int = byRow ? { a * m + $0 } : { $0 * m + a }
                var top = -Double.infinity
                for b in 0..<m { top = max(top, Double(sp[at(b)])) }
                var sum = 0.0
                for b in 0..<m { sum += Foundation.exp(Double(sp[at(b)]) - top) }
                let lse = top + Foundation.log(sum)
                total += lse - Double(sp[at(a)])
                for b in 0..<m {
                    let softmax = Foundation.exp(Double(sp[at(b)]) - lse)
                    gp[at(b)] += Float(scale * (softmax - (a == b ? 1 : 0)))
                }
            }
        }
        loss = total * scale
        // S = A_r·A_gᵀ/τ → dA_r = dS·A_g/τ, dA_g = dSᵀ·A_r/τ.
        let dAr = try dS.matmul(ag, alpha: 1 / temperature)
        let dAg = try dS.matmul(ar, transposeSelf: true, alpha: 1 / temperature)
        let dUr = try L2Normalization.backward(dAr, output: ar, norms: nr)
        let dUg = try L2Normalization.backward(dAg, output: ag, norms: ng)
        (renderingProbabilityGradient, renderingTextGradient) = Self.mixBackward(dUr, pr, tr, width: d)
        (geometryProbabilityGradient, geometryTextGradient) = Self.mixBackward(dUg, pg, tg, width: d)
    }

    /// u_j = (1 − p_j)·t₀ + p_j·t₁: [M, D].
    static func mix(_ p: [Float], _ t: Tensor) -> Tensor {
        let d = t.shape[1], out = Tensor(zeros: [p.count, d]), t0 = t.pointer, t1 = t.pointer + d
        for (j, pj) in p.enumerated() { let row = out.pointer + j * d; for i in 0..<d { row[i] = (1 - pj) * t0[i] + pj * t1[i] } }
        return out
    }

    /// ∂L/∂p_j = du_j·(t₁ − t₀); ∂L/∂t₀ = Σ (1 − p_j)·du_j; ∂L/∂t₁ = Σ p_j·du_j.
    static func mixBackward(_ du: Tensor, _ p: [Float], _ t: Tensor, width d: Int) -> ([Float], Tensor) {
        let dt = Tensor(zeros: [2, d]), t0 = t.pointer, t1 = t.pointer + d, g0 = dt.pointer, g1 = dt.pointer + d
        var dp = [Float](repeating: 0, count: p.count)
        for (j, pj) in p.enumerated() {
            let row = du.pointer + j * d
            var dot: Float = 0
            for i in 0..<d { dot += row[i] * (t1[i] - t0[i]); g0[i] += (1 - pj) * row[i]; g1[i] += pj * row[i] }
            dp[j] = dot
        }
        return (dp, dt)
    }
}
