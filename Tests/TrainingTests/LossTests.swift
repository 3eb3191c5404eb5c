import Foundation
import Testing
import TensorCore
import TestSupport
@testable import Training

@Suite struct LossTests {
    @Test func focalLossKnownValueAndGradient() throws {
        // One abnormal pixel with p = (0.3, 0.7): pt = 1e-5·0.3 + (1 − 1e-5)·0.7 + 1e-5.
        let p = try Tensor(shape: [1, 2], values: [0.3, 0.7])
        let loss = try FocalLoss.evaluate(probabilities: p, targets: [1])
        let pt = 1e-5 * 0.3 + (1 - 1e-5) * 0.7 + 1e-5
        #expect(abs(loss.value - (-(1 - pt) * (1 - pt) * log(pt))) < 1e-6)
        let q = randomTensor([6, 2], seed: 60, scale: 0.45)
        for i in 0..<q.count { q.pointer[i] += 0.5 }
        let targets: [UInt8] = [0, 1, 1, 0, 1, 0]
        let analytic = try FocalLoss.evaluate(probabilities: q, targets: targets).gradient.toArray()
        let numeric = try finiteDifferenceGradient(of: q, step: 1e-3) { try FocalLoss.evaluate(probabilities: q, targets: targets).value }
        #expect(maxRelativeError(analytic, numeric) < 1e-3)
    }

    @Test func diceLossKnownValueAndGradient() throws {
        // Sample of 2 elements on channel 1: p = (0.2, 0.9), t = (0, 1): 1 − (2·0.9 + 1)/(1.1 + 1 + 1).
        let v = try Tensor(shape: [2, 2], values: [0.8, 0.2, 0.1, 0.9])
        let dice = try DiceLoss.evaluate(values: v, channel: 1, channels: 2, samples: 1, targets: [0, 1])
        #expect(abs(dice.value - (1 - 2.8 / 3.1)) < 1e-6)
        #expect(dice.gradient.pointer[0] == 0)
        // Complement on channel 0 compares (0.8, 0.1) with (1, 0).
        let normal = try DiceLoss.evaluate(values: v, channel: 0, channels: 2, samples: 1, targets: [0, 1], complement: true)
        #expect(abs(normal.value - (1 - 2.6 / 2.9)) < 1e-6)
        let x = randomTensor([2, 5, 2], seed: 61, scale: 0.5)
        for i in 0..<x.count { x.pointer[i] += 0.5 }
        let t: [UInt8] = [0, 1, 1, 0, 0, 1, 1, 1, 0, 0]
        let analytic = try DiceLoss.evaluate(values: x, channel: 1, channels: 2, samples: 2, targets: t).gradient.toArray()
        let numeric = try finiteDifferenceGradient(of: x) {
            try DiceLoss.evaluate(values: x, channel: 1, channels: 2, samples: 2, targets: t).value
        }
        #expect(maxRelativeError(analytic, numeric) < 1e-3)
    }

    @Test func crossEntropyKnownValueAndGradient() throws {
        let z = try Tensor(shape: [2, 2], values: [1, 3, 0, 0])
        let ce = try CrossEntropyLoss.evaluate(logits: z, labels: [0, 1])
        let expected = ((log(exp(1.0) + exp(3.0)) - 1) + log(2.0)) / 2
        #expect(abs(ce.value - expected) < 1e-6)
        let r = randomTensor([3, 2], seed: 62, scale: 3)
        let analytic = try CrossEntropyLoss.evaluate(logits: r, labels: [1, 0, 1]).gradient.toArray()
        let numeric = try finiteDifferenceGradient(of: r) { try CrossEntropyLoss.evaluate(logits: r, labels: [1, 0, 1]).value }
        #expect(maxRelativeError(analytic, numeric) < 1e-3)
        #expect(throws: TensorError.self) { try CrossEntropyLoss.evaluate(logits: r, labels: [2, 0, 1]) }
    }
}

@Suite struct LossWeightsTests {
    @Test func parsesNamedWeightsAndKeepsTheRest() throws {
        let w = try LossWeights(parsing: "point-dice=2, view-ce=0.5")
        #expect(w.pointDice == 2 && w.viewCrossEntropy == 0.5 && w.pixelFocal == 1 && w.alignment == 0.1)
        #expect(throws: (any Error).self) { try LossWeights(parsing: "pixel=1") }
        #expect(throws: (any Error).self) { try LossWeights(parsing: "point-dice=-1") }
    }
}
