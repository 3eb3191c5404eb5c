import Foundation
import Testing
import TensorCore
@testable import Training

@Suite struct AdamOptimizerTests {
    /// Two steps against PyTorch's Adam formula written out in double.
    @Test func matchesTorchAdamFormula() throws {
        let p = try Tensor(shape: [3], values: [0.5, -1, 2])
        var adam = AdamOptimizer(shapes: [[3]], learningRate: 1e-3, beta1: 0.5, beta2: 0.999)
        let grads: [[Double]] = [[0.1, -0.2, 3], [-0.4, 0.05, 1]]
        var expected: [Double] = [0.5, -1, 2], m = [0.0, 0, 0], v = [0.0, 0, 0]
        for (t, g) in grads.enumerated() {
            try adam.update(parameters: [p], gradients: [try Tensor(shape: [3], values: g.map(Float.init))])
            for i in 0..<3 {
                m[i] = 0.5 * m[i] + 0.5 * g[i]
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i]
                let mHat = m[i] / (1 - pow(0.5, Double(t + 1))), vHat = v[i] / (1 - pow(0.999, Double(t + 1)))
                expected[i] -= 1e-3 * mHat / (vHat.squareRoot() + 1e-8)
            }
        }
        for i in 0..<3 { #expect(abs(Double(p.pointer[i]) - expected[i]) < 1e-6) }
        #expect(adam.step == 2)
        #expect(throws: TensorError.self) { try adam.update(parameters: [p], gradients: [Tensor(zeros: [2])]) }
    }
}
