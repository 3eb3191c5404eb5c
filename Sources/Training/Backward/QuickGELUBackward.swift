import TensorCore

/// OpenAI CLIP's activation y = x·σ(1.702x), with its derivative σ + 1.702·x·σ·(1−σ).
public enum QuickGELU {
    /// y = x·σ(1.702x) into a new tensor (the input is kept: the backward pass needs it).
    public static func forward(_ x: Tensor) -> Tensor {
        let y = Tensor(zeros: x.shape)
        let a = x.pointer, b = y.pointer
        for i in 0..<x.count { let v = a[i]; b[i] = v / (1 + FastMath.exp(-1.702 * v)) }
        return y
    }

    /// dx = dy · (σ + 1.702·x·σ·(1−σ)), σ = σ(1.702x).
    public static func backward(_ outputGradient: Tensor, input x: Tensor) throws -> Tensor {
        guard outputGradient.count == x.count else {
            throw TensorError.shapeMismatch(operation: "QuickGELU backward", shapes: [outputGradient.shape, x.shape])
        }
        let dx = Tensor(zeros: x.shape)
        let a = x.pointer, d = outputGradient.pointer, o = dx.pointer
        for i in 0..<x.count {
            let v = a[i]
            let s = 1 / (1 + FastMath.exp(-1.702 * v))
            o[i] = d[i] * (s + 1.702 * v * s * (1 - s))
        }
        return dx
    }
}
