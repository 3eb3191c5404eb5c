import Foundation
import TensorCore

/// Adam as PyTorch's `torch.optim.Adam` (no weight decay, no amsgrad): the reference trains with
/// lr 1e−3 and betas (0.5, 0.999). Deterministic: the update is elementwise in a fixed order.
/// Its state (moments and step count) is part of a checkpoint, so a resumed run continues exactly.
public struct AdamOptimizer: Sendable {
    public var learningRate: Float
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    /// Number of steps taken.
    public private(set) var step: Int = 0
    public private(set) var firstMoments: [Tensor]
    public private(set) var secondMoments: [Tensor]

    public init(shapes: [[Int]], learningRate: Float = 1e-3, beta1: Float = 0.5, beta2: Float = 0.999, epsilon: Float = 1e-8) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        firstMoments = shapes.map { Tensor(zeros: $0) }
        secondMoments = shapes.map { Tensor(zeros: $0) }
    }

    /// Restores a saved state (moments in parameter order).
    public init(restoring step: Int, firstMoments: [Tensor], secondMoments: [Tensor], learningRate: Float,
                beta1: Float = 0.5, beta2: Float = 0.999, epsilon: Float = 1e-8) throws {
        guard firstMoments.count == secondMoments.count, step >= 0,
              zip(firstMoments, secondMoments).allSatisfy({ $0.shape == $1.shape })
        else { throw TensorError.invalidArgument("Adam state: mismatched moments or negative step \(step)") }
        self.init(shapes: [], learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon)
        self.step = step
        self.firstMoments = firstMoments
        self.secondMoments = secondMoments
    }

    /// p ← p − lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε), with m, v the running moments of the gradient.
    public mutating func update(parameters: [Tensor], gradients: [Tensor]) throws {
        guard parameters.count == firstMoments.count, gradients.count == parameters.count,
              zip(parameters, gradients).allSatisfy({ $0.count == $1.count }),
              zip(parameters, firstMoments).allSatisfy({ $0.count == $1.count })
        else {
            throw TensorError.shapeMismatch(operation: "Adam update",
                                            shapes: parameters.map(\.shape) + gradients.map(\.shape) + firstMoments.map(\.shape))
        }
        step += 1
        let b1 = beta1, b2 = beta2
        let correction1 = 1 - Foundation.pow(Double(b1), Double(step))
        let correction2 = 1 - Foundation.pow(Double(b2), Double(step))
        let stepSize = Float(Double(learningRate) / correction1)
        let rootCorrection2 = Float(correction2.squareRoot())
        let eps = epsilon
        for (index, parameter) in parameters.enumerated() {
            let p = parameter.pointer, g = gradients[index].pointer
            let m = firstMoments[index].pointer, v = secondMoments[index].pointer
            for i in 0..<parameter.count {
                m[i] = b1 * m[i] + (1 - b1) * g[i]
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                p[i] -= stepSize * m[i] / (v[i].squareRoot() / rootCorrection2 + eps)
            }
        }
    }
}
