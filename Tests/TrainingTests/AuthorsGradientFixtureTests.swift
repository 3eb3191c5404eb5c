import CLIP
import Testing
import TensorCore
import TestSupport
@testable import Training

/// `Fixtures/anomalyclip-tiny`: text features and prompt gradients made by the PointAD authors'
/// own prompt learner and text encoder (PyTorch autograd) on a tiny random CLIP.
@Suite struct AuthorsGradientFixtureTests {
    static let folder = TestPaths.fixture("anomalyclip-tiny")

    static func load() throws -> (CLIPModel, SafetensorsFile, PromptSet) {
        let model = try CLIPModel(directory: folder.appendingPathComponent("model"), parts: [.text, .tokenizer])
        let expected = try SafetensorsFile(contentsOf: folder.appendingPathComponent("expected.safetensors"))
        let prompts = PromptSet(
            contexts: try ["ctx_pos", "ctx_neg"].map { try expected.tensor("learn.\($0)").reshaped([12, 64]) },
            deepTokens: try (0..<2).map { try expected.tensor("learn.compound_prompts_text.\($0)") })
        return (model, expected, prompts)
    }

    @Test func promptTokensMatchTheAuthorsTokenizer() throws {
        let (model, expected, _) = try Self.load()
        let tokens = PromptTokens.objectAgnostic(contextLength: 12, tokenizer: try model.requireTokenizer())
        let (_, reference) = try expected.int32Values("prompt.tokenized")
        for s in 0..<2 {
            let row = Array(reference[(s * 77)..<(s * 77 + 77)])
            #expect(tokens.ids[s] == Array(row.prefix(tokens.ids[s].count)))
            #expect(row.dropFirst(tokens.ids[s].count).allSatisfy { $0 == 0 })
        }
        #expect(tokens.poolingPositions == [15, 16])
    }

    @Test func forwardWithTapeEqualsTheAuthorsAndCLIPsTextFeatures() throws {
        let (model, expected, prompts) = try Self.load()
        let text = try model.requireText(), tokenizer = try model.requireTokenizer()
        let encoder = try PromptTextEncoder(text)
        let tape = try encoder.forward(tokens: .objectAgnostic(contextLength: 12, tokenizer: tokenizer), prompts: prompts)
        let reference = try expected.tensor("prompt.text_features").toArray()
        #expect(maxRelativeError(tape.features.toArray(), reference) < 1e-4)
        // CLIP's own forward (full 77 tokens, no tape) gives the same features.
        let clip = try text.promptFeatures(prompts, tokenizer: tokenizer)
        #expect(maxRelativeError(tape.features.toArray(), clip.toArray()) < 1e-5)
    }

    @Test func promptGradientsEqualTheAuthors() throws {
        let (model, expected, prompts) = try Self.load()
        let result = try PromptGradients.ofWeightedFeatures(text: try model.requireText(), tokenizer: try model.requireTokenizer(),
                                                            prompts: prompts, weights: try expected.tensor("grad.weights"))
        for (name, gradient) in result.gradients.named {
            let reference = try expected.tensor("grad.\(name)")
            #expect(gradient.count == reference.count, "\(name)")
            let error = maxRelativeError(gradient.toArray(), reference.toArray())
            #expect(error < 1e-3, "grad.\(name): relative error \(error)")
        }
        #expect(result.gradients.names == ["ctx_pos", "ctx_neg", "compound_prompts_text.0", "compound_prompts_text.1"])
    }

    @Test func refusesPromptsOfAnotherWidth() throws {
        let (model, expected, _) = try Self.load()
        let wide = PromptSet.random(contextLength: 12, width: 96, depth: 3, deepLength: 4, seed: 1)
        #expect(throws: (any Error).self) {
            try PromptGradients.ofWeightedFeatures(text: try model.requireText(), tokenizer: try model.requireTokenizer(),
                                                   prompts: wide, weights: try expected.tensor("grad.weights"))
        }
    }
}
