import PointADModel
import TensorCore

/// PointAD+'s cross-hierarchy alignment on a set of anchor points, backward through
/// `PointADModel.CrossHierarchyAlignment`: a point's anomaly representation in a layer is
/// a = normalise((1 − p)·t_normal + p·t_abnormal) (p its abnormal probability, t the layer's
/// normalised prompt embeddings); S = A_r·A_gᵀ/τ; L = symmetric InfoNCE with the same point as the
/// positive (loss and ∂L/∂S from that type). Gradients flow to both probabilities and both prompt sets.
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
        // The loss and ∂L/∂S from the scoring module's own definition, so the two cannot drift.
        let (value, dS) = try CrossHierarchyAlignment(temperature: temperature).loss(rendering: ar, geometry: ag)
        loss = Double(value)
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
