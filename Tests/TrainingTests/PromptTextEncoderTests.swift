import CLIP
import Testing
import TensorCore
import TestSupport
@testable import Training

/// The text encoder's prompt gradients on a tiny random encoder against finite differences.
@Suite struct PromptTextEncoderTests {
    static func tinyEncoder(width: Int = 8, heads: Int = 2, blocks: Int = 3, vocabulary: Int = 51, seed: UInt64 = 100) throws -> PromptTextEncoder {
        var s = seed
        func next() -> UInt64 { s += 1; return s }
        func linear(_ o: Int, _ i: Int) throws -> FrozenLinear {
            try FrozenLinear(weight: randomTensor([o, i], seed: next(), scale: 1 / Float(i).squareRoot() * 1.5),
                             bias: randomTensor([o], seed: next(), scale: 0.1))
        }
        func norm() throws -> LayerNormLayer {
            let g = randomTensor([width], seed: next(), scale: 0.3)
            for i in 0..<width { g.pointer[i] += 1 }
            return try LayerNormLayer(gamma: g, beta: randomTensor([width], seed: next(), scale: 0.1))
        }
        let layers = try (0..<blocks).map { _ in
            try TextTransformerBlock(norm1: norm(),
                                     attention: CausalSelfAttention(query: linear(width, width), key: linear(width, width), value: linear(width, width),
                                                                    outProjection: linear(width, width), heads: heads),
                                     norm2: norm(), fc1: linear(4 * width, width), fc2: linear(width, 4 * width))
        }
        return try PromptTextEncoder(tokenEmbedding: randomTensor([vocabulary, width], seed: next()),
                                     positionalEmbedding: randomTensor([12, width], seed: next(), scale: 0.3),
                                     blocks: layers, finalNorm: norm(),
                                     projection: FrozenLinear(weight: randomTensor([6, width], seed: next()), bias: nil))
    }

    /// Two prompts of different lengths (end token 50 at positions 6 and 7), 3 context tokens.
    static let tokens = PromptTokens(ids: [[49, 1, 1, 1, 3, 4, 50], [49, 1, 1, 1, 5, 3, 4, 50]], contextLength: 3)

    static func loss(_ encoder: PromptTextEncoder, _ prompts: PromptSet, _ w: Tensor) throws -> Double {
        let f = try encoder.forward(tokens: tokens, prompts: prompts).features
        return weightedSum(L2Normalization.forward(f).output, w)
    }

    @Test func promptGradientsMatchFiniteDifferences() throws {
        var encoder = try Self.tinyEncoder()
        encoder.roundsDeepTokensToHalf = false  // float16 steps would swamp the finite differences
        // Steps of 5e-2 with Richardson extrapolation: float32 rounding noise in a 3-block
        // transformer grows as 1/step, truncation error is O(step⁴).
        let prompts = PromptSet.random(contextLength: 3, width: 8, depth: 3, deepLength: 2, seed: 7)
        for t in prompts.tensors { for i in 0..<t.count { t.pointer[i] *= 25 } }  // O(0.5) values
        let w = randomTensor([2, 6], seed: 8)
        let tape = try encoder.forward(tokens: Self.tokens, prompts: prompts)
        let (normalized, norms) = L2Normalization.forward(tape.features)
        let dFeatures = try L2Normalization.backward(w, output: normalized, norms: norms)
        let grads = try encoder.backward(dFeatures, tape: tape)
        #expect(grads.names == ["ctx_pos", "ctx_neg", "compound_prompts_text.0", "compound_prompts_text.1"])
        for (parameter, gradient) in zip(prompts.tensors, grads.tensors) {
            #expect(gradient.shape == parameter.shape)
            let numeric = try finiteDifferenceGradient(of: parameter, step: 5e-2) { try Self.loss(encoder, prompts, w) }
            let error = maxRelativeError(gradient.toArray(), numeric)
            #expect(error < 1e-3)
            #expect(gradient.toArray().contains { $0 != 0 })
        }
    }

    @Test func deepTokensEnterAsFloat16() throws {
        let encoder = try Self.tinyEncoder()
        let prompts = PromptSet.random(contextLength: 3, width: 8, depth: 2, deepLength: 2, seed: 9)
        let rounded = prompts.copy()
        for t in rounded.deepTokens { for i in 0..<t.count { t.pointer[i] = Float(Float16(t.pointer[i])) } }
        var exact = encoder
        exact.roundsDeepTokensToHalf = false
        let a = try encoder.forward(tokens: Self.tokens, prompts: prompts).features.toArray()
        let b = try exact.forward(tokens: Self.tokens, prompts: rounded).features.toArray()
        let c = try exact.forward(tokens: Self.tokens, prompts: prompts).features.toArray()
        #expect(a == b)
        #expect(a != c)
    }

    @Test func rejectsMismatchedPrompts() throws {
        let encoder = try Self.tinyEncoder()
        let wrongWidth = PromptSet.random(contextLength: 3, width: 6, depth: 2, deepLength: 2, seed: 1)
        #expect(throws: TensorError.self) { try encoder.forward(tokens: Self.tokens, prompts: wrongWidth) }
        let tooDeep = PromptSet.random(contextLength: 3, width: 8, depth: 4, deepLength: 2, seed: 1)
        #expect(throws: TensorError.self) { try encoder.forward(tokens: Self.tokens, prompts: tooDeep) }
    }

}
