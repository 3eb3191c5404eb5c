import TensorCore

/// A linear layer whose weights never learn: y = x·Wᵀ + b with W stored [out, in] (the Hugging Face
/// and PyTorch layout). Only the prompts learn in PointAD, so the backward pass needs the gradient
/// with respect to the input alone, dx = dy·W, and never dW: half the cost of a full backward.
public struct FrozenLinear: Sendable {
    /// [out, in].
    public let weight: Tensor
    /// [out], or nil for a layer without bias.
    public let bias: Tensor?

    public init(weight: Tensor, bias: Tensor?) throws {
        guard weight.rank == 2 else { throw TensorError.shapeMismatch(operation: "linear weight", shapes: [weight.shape]) }
        if let bias, bias.count != weight.shape[0] {
            throw TensorError.shapeMismatch(operation: "linear bias", shapes: [weight.shape, bias.shape])
        }
        self.weight = weight
        self.bias = bias
    }

    public var inputWidth: Int { weight.shape[1] }
    public var outputWidth: Int { weight.shape[0] }

    /// y = x·Wᵀ + b for x of shape [..., in].
    public func forward(_ x: Tensor) throws -> Tensor {
        let y = try x.matmul(weight, transposeOther: true)
        if let bias { try y.addRowVector(bias) }
        return y
    }

    /// dx = dy·W for dy of shape [..., out]; with `accumulateInto`, adds to that tensor instead.
    @discardableResult
    public func backward(_ outputGradient: Tensor, accumulateInto existing: Tensor? = nil) throws -> Tensor {
        try outputGradient.matmul(weight, beta: existing == nil ? 0 : 1, into: existing)
    }
}
