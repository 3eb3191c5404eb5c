import CLIP
import Foundation
import PointADSupport
import TensorCore
import Testing
import TestSupport
@testable import Synthesis

/// `init-model` folders must be indistinguishable in layout from Hugging Face's, load with the CLIP
/// loader, and be marked random.
@Suite("random CLIP model folders")
struct RandomCLIPFolderTests {
    static let fixtureModel = TestPaths.fixture("clip-tiny/model")

    @Test("vocab.json and merges.txt are byte-identical to the real CLIP tokenizer files")
    func vocabularyMatchesReference() throws {
        let vocab = try Data(contentsOf: Self.fixtureModel.appendingPathComponent("vocab.json"))
        let merges = try Data(contentsOf: Self.fixtureModel.appendingPathComponent("merges.txt"))
        #expect(CLIPVocabulary.vocabularyJSON() == vocab)
        #expect(CLIPVocabulary.mergesFile == merges)
        #expect(CLIPVocabulary.tokens().count == CLIPVocabulary.size)
    }

    @Test("config.json has transformers' keys and formatting, plus the random-weights marker")
    func configMatchesTransformersLayout() throws {
        // The fixture was written by transformers for these sizes; ours must differ only by the
        // pointad lines.
        let sizes = CLIPConfiguration(
            vision: .init(hiddenSize: 64, intermediateSize: 256, layers: 4, heads: 4, imageSize: 56, patchSize: 14),
            text: .init(hiddenSize: 48, intermediateSize: 192, layers: 3, heads: 4),
            projectionDim: 32)
        let ours = RandomCLIPFolder.configJSON(sizes, preset: .tiny, seed: 5)
        let reference = try String(contentsOf: Self.fixtureModel.appendingPathComponent("config.json"), encoding: .utf8)
        let pointadLines = ours.split(separator: "\n", omittingEmptySubsequences: false).filter {
            $0.hasPrefix("  \"_comment\"") || $0.hasPrefix("  \"pointad_")
        }
        #expect(pointadLines.count == 4)
        let stripped = ours.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !pointadLines.contains($0) }.joined(separator: "\n")
        #expect(stripped == reference)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(ours.utf8)) as? [String: Any])
        #expect(root["pointad_random_weights"] as? Bool == true)
    }

    @Test("the tiny preset loads with the CLIP loader, is marked random, and both towers run")
    func tinyModelLoadsAndRuns() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try RandomCLIPFolder.write(preset: .tiny, seed: 3, to: dir)
        #expect(ModelFolder.isRandomWeights(dir))
        #expect(!ModelFolder.isRandomWeights(Self.fixtureModel))

        let model = try CLIPModel(directory: dir)
        #expect(model.configuration == CLIPPreset.tiny.configuration)
        #expect(abs(model.logitScale - 4.6052) < 1e-4)
        let size = model.configuration.vision.imageSize
        let pixels = try Tensor(shape: [2, 3, size, size], values: randomFloats(2 * 3 * size * size, seed: 9))
        let image = try model.requireVision().encode(pixels: pixels, layers: [1, 4])
        #expect(image.imageEmbeds.shape == [2, 64])
        #expect(image.projectedLayers[4]?.shape == [2, 257, 64])
        let imageValues = image.imageEmbeds.toArray()
        #expect(imageValues.allSatisfy { $0.isFinite })
        let ids = try model.tokenize(["a photo of a damaged object."])
        #expect(Array(ids[0].prefix(3)) == [49406, 320, 1125])  // start, "a", "photo" in the real vocabulary
        let text = try model.requireText().encode(ids: ids)
        let textValues = text.textEmbeds.toArray()
        #expect(textValues.allSatisfy { $0.isFinite })
    }

    @Test("weights follow transformers' initialisation: unit norms, zero biases, width-scaled deviations")
    func weightStatistics() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try RandomCLIPFolder.write(preset: .tiny, seed: 11, to: dir)
        let file = try SafetensorsFile(contentsOf: dir.appendingPathComponent("model.safetensors"))
        func std(_ name: String) throws -> Double {
            let values = try file.tensor(name).toArray().map(Double.init)
            let mean = values.reduce(0, +) / Double(values.count)
            return (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
        }
        // 64 wide, 4 layers: q/k/v and fc2 get 64^-1/2 · 8^-1/2, out_proj 64^-1/2, fc1 128^-1/2.
        #expect(abs(try std("vision_model.encoder.layers.0.self_attn.q_proj.weight") / (0.125 / 8.0.squareRoot()) - 1) < 0.05)
        #expect(abs(try std("vision_model.encoder.layers.2.self_attn.out_proj.weight") / 0.125 - 1) < 0.05)
        #expect(abs(try std("text_model.encoder.layers.1.mlp.fc1.weight") / (1 / 128.0.squareRoot()) - 1) < 0.05)
        #expect(abs(try std("text_model.embeddings.token_embedding.weight") / 0.02 - 1) < 0.01)
        #expect(try file.tensor("vision_model.pre_layrnorm.weight").toArray().allSatisfy { $0 == 1 })
        #expect(try file.tensor("text_model.encoder.layers.3.mlp.fc2.bias").toArray().allSatisfy { $0 == 0 })
    }

    @Test("the same seed gives byte-identical files; another seed other weights")
    func deterministic() throws {
        let a = try TestPaths.temporaryDirectory(), b = try TestPaths.temporaryDirectory(), c = try TestPaths.temporaryDirectory()
        defer { for d in [a, b, c] { try? FileManager.default.removeItem(at: d) } }
        try RandomCLIPFolder.write(preset: .tiny, seed: 42, to: a)
        try RandomCLIPFolder.write(preset: .tiny, seed: 42, to: b)
        try RandomCLIPFolder.write(preset: .tiny, seed: 43, to: c)
        for name in ["config.json", "model.safetensors", "vocab.json", "merges.txt", "tokenizer_config.json", "README.md"] {
            #expect(try Data(contentsOf: a.appendingPathComponent(name)) == Data(contentsOf: b.appendingPathComponent(name)), "\(name)")
        }
        #expect(try Data(contentsOf: a.appendingPathComponent("model.safetensors")) != Data(contentsOf: c.appendingPathComponent("model.safetensors")))
    }
}
