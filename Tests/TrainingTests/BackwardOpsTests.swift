import Testing
import TensorCore
import TestSupport
@testable import Training

/// Every hand-written backward pass against central finite differences of its own forward pass
/// (an independent reference: the forward is checked elsewhere against known values).
@Suite struct BackwardOpsTests {
    @Test func frozenLinearInputGradient() throws {
        let layer = try FrozenLinear(weight: randomTensor([5, 7], seed: 1), bias: randomTensor([5], seed: 2))
        let x = randomTensor([3, 7], seed: 3), w = randomTensor([3, 5], seed: 4)
        let analytic = try layer.backward(w).toArray()
        let numeric = try finiteDifferenceGradient(of: x) { weightedSum(try layer.forward(x), w) }
        #expect(maxRelativeError(analytic, numeric) < 1e-3)
        // Known answer: y = x·Wᵀ + b on one row.
        let y = try layer.forward(x)
        var expected: Float = layer.bias!.pointer[2]
        for k in 0..<7 { expected += x[1, k] * layer.weight[2, k] }
        #expect(abs(y[1, 2] - expected) < 1e-5)
    }

    @Test func layerNormInputGradient() throws {
        let norm = try LayerNormLayer(gamma: randomTensor([16], seed: 5), beta: randomTensor([16], seed: 6))
        let x = randomTensor([4, 16], seed: 7, scale: 2), w = randomTensor([4, 16], seed: 8)
        let (_, cache) = try norm.forward(x)
        let analytic = try norm.backward(w, cache: cache).toArray()
        let numeric = try finiteDifferenceGradient(of: x) { weightedSum(try norm.forward(x).output, w) }
        #expect(maxRelativeError(analytic, numeric) < 1e-3)
    }

    @Test func quickGELUGradient() throws {
        let x = randomTensor([50], seed: 9, scale: 4), w = randomTensor([50], seed: 10)
        let analytic = try QuickGELU.backward(w, input: x).toArray()
        let numeric = finiteDifferenceGradient(of: x) { weightedSum(QuickGELU.forward(x), w) }
        #expect(maxRelativeError(analytic, numeric) < 1e-3)
        // Known value: QuickGELU(1) = 1/(1 + e^−1.702).
        let one = QuickGELU.forward(try Tensor(shape: [1], values: [1]))
        #expect(abs(one.pointer[0] - 0.845_795_3) < 1e-5)
    }

    @Test func l2NormalizationGradient() throws {
        let x = randomTensor([3, 8], seed: 11), w = randomTensor([3, 8], seed: 12)
        let (y, norms) = L2Normalization.forward(x)
        let analytic = try L2Normalization.backward(w, output: y, norms: norms).toArray()
        let numeric = finiteDifferenceGradient(of: x) { weightedSum(L2Normalization.forward(x).output, w) }
        #expect(maxRelativeError(analytic, numeric) < 1e-3)
    }

    static func attention(width: Int, heads: Int, seed: UInt64) throws -> CausalSelfAttention {
        func linear(_ k: UInt64) throws -> FrozenLinear {
            try FrozenLinear(weight: randomTensor([width, width], seed: seed + 2 * k, scale: 0.5),
                             bias: randomTensor([width], seed: seed + 2 * k + 1, scale: 0.2))
        }
        return try CausalSelfAttention(query: linear(0), key: linear(1), value: linear(2), outProjection: linear(3), heads: heads)
    }

    @Test func causalAttentionGradient() throws {
        let attn = try Self.attention(width: 8, heads: 2, seed: 20)
        let x = randomTensor([2 * 5, 8], seed: 24), w = randomTensor([2 * 5, 8], seed: 25)
        let (_, cache) = try attn.forward(x, sequences: 2, length: 5)
        let analytic = try attn.backward(w, cache: cache).toArray()
        let numeric = try finiteDifferenceGradient(of: x) { weightedSum(try attn.forward(x, sequences: 2, length: 5).output, w) }
        #expect(maxRelativeError(analytic, numeric) < 1e-3)
    }

    @Test func causalAttentionIgnoresLaterTokensAndOtherSequences() throws {
        let attn = try Self.attention(width: 8, heads: 2, seed: 30)
        let x = randomTensor([2 * 5, 8], seed: 34)
        let before = try attn.forward(x, sequences: 2, length: 5).output.toArray()
        // Change token 3 of sequence 0: rows 0…2 and all of sequence 1 must not move.
        for j in 0..<8 { x[3, j] += 1 }
        let after = try attn.forward(x, sequences: 2, length: 5).output.toArray()
        #expect(Array(before[0..<24]) == Array(after[0..<24]))
        #expect(Array(before[40..<80]) == Array(after[40..<80]))
        #expect(before[24..<32] != after[24..<32])
        // Token 0 attends only to itself: its output is out_proj(v₀).
        let v0 = try attn.value.forward(try x.rows(0..<1))
        let expected = try attn.outProjection.forward(v0).toArray()
        #expect(maxAbsoluteError(Array(after[0..<8]), expected) < 1e-5)
    }

    @Test func similaritySoftmaxTextGradient() throws {
        let features = L2Normalization.forward(randomTensor([6, 4], seed: 40)).output
        let text = randomTensor([2, 4], seed: 41), w = randomTensor([6, 2], seed: 42)
        func probs() throws -> Tensor { RowSoftmax.forward(try TextSimilarity.logits(features: features, text: text, temperature: 0.5)) }
        let p = try probs()
        let dLogits = try RowSoftmax.backward(w, probabilities: p)
        let dText = Tensor(zeros: [2, 4])
        try TextSimilarity.accumulateTextGradient(dLogits, features: features, temperature: 0.5, into: dText)
        let numeric = try finiteDifferenceGradient(of: text) { weightedSum(try probs(), w) }
        #expect(maxRelativeError(dText.toArray(), numeric) < 1e-3)
        // Rows are distributions.
        for r in 0..<6 { #expect(abs(p[r, 0] + p[r, 1] - 1) < 1e-6) }
    }
}
