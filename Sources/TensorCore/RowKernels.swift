/// Row-wise kernels over the last dimension: softmax, layer norm, L2 normalisation.
extension Tensor {
    var rowsAndCols: (rows: Int, cols: Int) {
        let cols = shape.last ?? 1
        return (count / max(cols, 1), cols)
    }

    /// Softmax over the last dimension, in place, with scaling of the logits by `scale` first.
    public func softmaxRows(scale: Float = 1) {
        let (rows, cols) = rowsAndCols
        let a = pointer
        Parallel.forChunks(rows, costPerItem: cols * 4) { r in
            for row in r {
                let p = a + row * cols
                let m = Reduce.max(p, cols)
                let shift = m.isFinite ? m * scale : 0
                for j in 0..<cols { p[j] = FastMath.exp(p[j] * scale - shift) }
                let s = Reduce.sum(p, cols)
                let inv = s > 0 ? 1 / s : 0
                for j in 0..<cols { p[j] *= inv }
            }
        }
    }

    /// Layer norm over the last dimension into `output` (may be `self`):
    /// y = (x − mean) / sqrt(var + eps) · gamma + beta.
    @discardableResult
    public func layerNormRows(gamma: Tensor, beta: Tensor, eps: Float, into output: Tensor? = nil) throws -> Tensor {
        let (rows, cols) = rowsAndCols
        guard gamma.count == cols, beta.count == cols else {
            throw TensorError.shapeMismatch(operation: "layer norm", shapes: [shape, gamma.shape, beta.shape])
        }
        let out = output ?? Tensor(zeros: shape)
        guard out.count == count else { throw TensorError.shapeMismatch(operation: "layer norm into", shapes: [shape, out.shape]) }
        let x = pointer, y = out.pointer, g = gamma.pointer, b = beta.pointer
        Parallel.forChunks(rows, costPerItem: cols * 3) { r in
            for row in r {
                let p = x + row * cols, q = y + row * cols
                let mean = Reduce.sum(p, cols) / Float(cols)
                let v = Reduce.sumOfSquaredDeviations(p, cols, from: mean)
                let inv = 1 / (v / Float(cols) + eps).squareRoot()
                for j in 0..<cols { q[j] = (p[j] - mean) * inv * g[j] + b[j] }
            }
        }
        return out
    }

    /// Divides each row by its L2 norm (rows of norm 0 are left as zeros), in place.
    public func l2NormalizeRows(eps: Float = 0) {
        let (rows, cols) = rowsAndCols
        let a = pointer
        Parallel.forChunks(rows, costPerItem: cols * 2) { r in
            for row in r {
                let p = a + row * cols
                let n = Reduce.dot(p, p, cols).squareRoot()
                let inv = n > eps && n > 0 ? 1 / n : 0
                for j in 0..<cols { p[j] *= inv }
            }
        }
    }
}
