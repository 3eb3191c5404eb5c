import TensorCore
import TestSupport

/// Central finite differences of a scalar function of one tensor's elements, for checking
/// hand-written backward passes. The function is evaluated in float32 like the code under test,
/// so the step is large enough (5e-3) that rounding stays well below the 1e-3 tolerance; Richardson
/// extrapolation of steps h and h/2 removes the O(h²) truncation error.
func finiteDifferenceGradient(of tensor: Tensor, step: Float = 5e-3, _ loss: () throws -> Double) rethrows -> [Float] {
    func central(_ i: Int, _ h: Float) throws -> Double {
        let saved = tensor.pointer[i]
        tensor.pointer[i] = saved + h
        let up = try loss()
        tensor.pointer[i] = saved - h
        let down = try loss()
        tensor.pointer[i] = saved
        return (up - down) / Double((saved + h) - (saved - h))
    }
    var result = [Float](repeating: 0, count: tensor.count)
    for i in 0..<tensor.count {
        let coarse = try central(i, step), fine = try central(i, step / 2)
        result[i] = Float((4 * fine - coarse) / 3)
    }
    return result
}

/// A tensor of deterministic uniform values in [−scale, scale).
func randomTensor(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
    try! Tensor(shape: shape, values: randomFloats(shape.reduce(1, *), seed: seed, scale: scale))
}

/// Σ wᵢ·yᵢ in double: a loss whose gradient with respect to y is w.
func weightedSum(_ y: Tensor, _ w: Tensor) -> Double {
    var s = 0.0
    for i in 0..<y.count { s += Double(y.pointer[i]) * Double(w.pointer[i]) }
    return s
}
