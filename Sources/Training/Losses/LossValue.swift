import TensorCore

/// A scalar loss and its gradient with respect to the loss's input (same shape as the input).
public struct LossValue: Sendable {
    public let value: Double
    public let gradient: Tensor
}
