import TensorCore

/// Logits of features against text embeddings, F·Tᵀ/τ (cosine similarity when both are
/// L2-normalised; τ = 0.07 in PointAD, CLIP's logit scale is unused). The features are frozen, so
/// the backward pass returns the text gradient only.
public enum TextSimilarity {
    /// [N, K] logits for features [N, P] and text [K, P].
    public static func logits(features: Tensor, text: Tensor, temperature: Float) throws -> Tensor {
        try features.matmul(text, transposeOther: true, alpha: 1 / temperature)
    }

    /// ∂L/∂T = (1/τ)·(∂L/∂logits)ᵀ·F, added into `textGradient` [K, P].
    public static func accumulateTextGradient(_ logitGradient: Tensor, features: Tensor, temperature: Float,
                                              into textGradient: Tensor) throws {
        let k = textGradient.shape.first ?? 0, p = textGradient.shape.last ?? 0
        let n = features.count / max(p, 1)
        guard logitGradient.count == n * k, features.shape.last == p else {
            throw TensorError.shapeMismatch(operation: "text similarity backward",
                                            shapes: [logitGradient.shape, features.shape, textGradient.shape])
        }
        try gemm(MatrixView(logitGradient.pointer, rows: n, cols: k), transposeA: true,
                 MatrixView(features.pointer, rows: n, cols: p),
                 into: MatrixView(textGradient.pointer, rows: k, cols: p), alpha: 1 / temperature, beta: 1)
    }
}

/// Row-wise softmax forward and backward (the two-way normal/abnormal softmax of every token).
public enum RowSoftmax {
    /// Probabilities of each row of `logits` (a new tensor).
    public static func forward(_ logits: Tensor) -> Tensor {
        let p = logits.copy()
        p.softmaxRows()
        return p
    }

    /// ∂L/∂logits = p ⊙ (∂L/∂p − Σ_j p_j ∂L/∂p_j), row by row.
    public static func backward(_ probabilityGradient: Tensor, probabilities p: Tensor) throws -> Tensor {
        guard probabilityGradient.count == p.count else {
            throw TensorError.shapeMismatch(operation: "softmax backward", shapes: [probabilityGradient.shape, p.shape])
        }
        let cols = p.shape.last ?? 1, rows = p.count / max(cols, 1)
        let out = Tensor(zeros: p.shape)
        let a = p.pointer, d = probabilityGradient.pointer, o = out.pointer
        for r in 0..<rows {
            var dot: Float = 0
            for j in 0..<cols { dot += a[r * cols + j] * d[r * cols + j] }
            for j in 0..<cols { o[r * cols + j] = a[r * cols + j] * (d[r * cols + j] - dot) }
        }
        return out
    }
}
