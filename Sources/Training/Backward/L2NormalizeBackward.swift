import TensorCore

/// Row-wise L2 normalisation y = x/‖x‖ and its backward dx = (dy − y·(y·dy)) / ‖x‖.
public enum L2Normalization {
    /// Normalised rows and each row's norm (the backward pass needs both).
    public static func forward(_ x: Tensor) -> (output: Tensor, norms: [Float]) {
        let cols = x.shape.last ?? 1, rows = x.count / max(cols, 1)
        let y = x.copy()
        var norms = [Float](repeating: 0, count: rows)
        let p = y.pointer
        for r in 0..<rows {
            let row = p + r * cols
            var s: Float = 0
            for j in 0..<cols { s += row[j] * row[j] }
            let n = s.squareRoot()
            norms[r] = n
            let inv: Float = n > 0 ? 1 / n : 0
            for j in 0..<cols { row[j] *= inv }
        }
        return (y, norms)
    }

    public static func backward(_ outputGradient: Tensor, output y: Tensor, norms: [Float]) throws -> Tensor {
        guard outputGradient.count == y.count else {
            throw TensorError.shapeMismatch(operation: "L2 normalisation backward", shapes: [outputGradient.shape, y.shape])
        }
        let cols = y.shape.last ?? 1, rows = y.count / max(cols, 1)
        let dx = Tensor(zeros: y.shape)
        let yp = y.pointer, dp = outputGradient.pointer, op = dx.pointer
        for r in 0..<rows {
            let yr = yp + r * cols, dr = dp + r * cols, o = op + r * cols
            var dot: Float = 0
            for j in 0..<cols { dot += yr[j] * dr[j] }
            let inv: Float = norms[r] > 0 ? 1 / norms[r] : 0
            for j in 0..<cols { o[j] = (dr[j] - yr[j] * dot) * inv }
        }
        return dx
    }
}
