import TensorCore

/// Layer norm over the last dimension, forward with the statistics the backward pass needs.
/// y = x̂·γ + β with x̂ = (x − mean)·inv, inv = 1/√(var + eps).
public struct LayerNormLayer: Sendable {
    public let gamma: Tensor
    public let beta: Tensor
    public let eps: Float

    public init(gamma: Tensor, beta: Tensor, eps: Float = 1e-5) throws {
        guard gamma.count == beta.count else { throw TensorError.shapeMismatch(operation: "layer norm", shapes: [gamma.shape, beta.shape]) }
        self.gamma = gamma
        self.beta = beta
        self.eps = eps
    }

    /// What `backward` needs of one forward call: the normalised input and each row's inv.
    public struct Cache: Sendable {
        public let normalized: Tensor
        public let inverseDeviation: [Float]
    }

    public func forward(_ x: Tensor) throws -> (output: Tensor, cache: Cache) {
        let cols = gamma.count
        guard x.shape.last == cols else { throw TensorError.shapeMismatch(operation: "layer norm", shapes: [x.shape, gamma.shape]) }
        let rows = x.count / max(cols, 1)
        let xhat = Tensor(zeros: x.shape), y = Tensor(zeros: x.shape)
        var inv = [Float](repeating: 0, count: rows)
        let xp = x.pointer, hp = xhat.pointer, yp = y.pointer, g = gamma.pointer, b = beta.pointer, eps = eps
        inv.withUnsafeMutableBufferPointer { invp in
            for r in 0..<rows {
                let p = xp + r * cols, h = hp + r * cols, q = yp + r * cols
                var s: Float = 0
                for j in 0..<cols { s += p[j] }
                let mean = s / Float(cols)
                var v: Float = 0
                for j in 0..<cols { let d = p[j] - mean; v += d * d }
                let k = 1 / (v / Float(cols) + eps).squareRoot()
                invp[r] = k
                for j in 0..<cols { let n = (p[j] - mean) * k; h[j] = n; q[j] = n * g[j] + b[j] }
            }
        }
        return (y, Cache(normalized: xhat, inverseDeviation: inv))
    }

    /// dx = inv · (dx̂ − mean(dx̂) − x̂·mean(dx̂ ⊙ x̂)), dx̂ = dy ⊙ γ.
    public func backward(_ outputGradient: Tensor, cache: Cache) throws -> Tensor {
        let cols = gamma.count
        guard outputGradient.count == cache.normalized.count else {
            throw TensorError.shapeMismatch(operation: "layer norm backward", shapes: [outputGradient.shape, cache.normalized.shape])
        }
        let rows = outputGradient.count / max(cols, 1)
        let dx = Tensor(zeros: outputGradient.shape)
        let dyp = outputGradient.pointer, hp = cache.normalized.pointer, dxp = dx.pointer, g = gamma.pointer
        let n = Float(cols)
        for r in 0..<rows {
            let dy = dyp + r * cols, h = hp + r * cols, out = dxp + r * cols
            var sum: Float = 0, dot: Float = 0
            for j in 0..<cols { let d = dy[j] * g[j]; sum += d; dot += d * h[j] }
            let meanD = sum / n, meanDH = dot / n, k = cache.inverseDeviation[r]
            for j in 0..<cols { out[j] = k * (dy[j] * g[j] - meanD - h[j] * meanDH) }
        }
        return dx
    }
}
