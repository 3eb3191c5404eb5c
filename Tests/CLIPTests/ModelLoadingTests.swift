import CLIP
import Foundation
import TensorCore
import Testing
import TestSupport

/// A config.json that does not match model.safetensors must be refused with the tensor named.
@Suite("model folder validation")
struct ModelLoadingTests {
    /// A copy of clip-tiny's model folder whose config.json is edited by `edit`.
    static func modelWithConfig(_ edit: (inout [String: Any], inout [String: Any], inout [String: Any]) -> Void) throws -> URL {
        let source = TestPaths.fixture("clip-tiny/model")
        let dir = try TestPaths.temporaryDirectory()
        for name in ["model.safetensors", "vocab.json", "merges.txt"] {
            try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent(name), withDestinationURL: source.appendingPathComponent(name))
        }
        var root = try JSONSerialization.jsonObject(with: Data(contentsOf: source.appendingPathComponent("config.json"))) as! [String: Any]
        var vision = root["vision_config"] as! [String: Any], text = root["text_config"] as! [String: Any]
        edit(&root, &vision, &text)
        root["vision_config"] = vision
        root["text_config"] = text
        try JSONSerialization.data(withJSONObject: root).write(to: dir.appendingPathComponent("config.json"))
        return dir
    }

    static func loadError(_ dir: URL) -> String {
        defer { try? FileManager.default.removeItem(at: dir) }
        do { _ = try CLIPModel(directory: dir) } catch { return "\(error)" }
        return "no error"
    }

    @Test("mismatches name the tensor")
    func mismatches() throws {
        var m = Self.loadError(try Self.modelWithConfig { _, v, _ in v["intermediate_size"] = 512 })
        #expect(m.contains("tensor 'vision_model.encoder.layers.0.mlp.fc1.weight' has shape [256, 64], expected [512, 64]"), "\(m)")
        m = Self.loadError(try Self.modelWithConfig { _, v, _ in v["num_hidden_layers"] = 5 })
        #expect(m.contains("tensor 'vision_model.encoder.layers.4.") && m.contains("is missing"), "\(m)")
        m = Self.loadError(try Self.modelWithConfig { _, _, t in t["num_hidden_layers"] = 2 })
        #expect(m.contains("tensor 'text_model.encoder.layers.2.layer_norm1.weight' exists but config.json declares only 2 layers"), "\(m)")
        m = Self.loadError(try Self.modelWithConfig { r, _, _ in r["projection_dim"] = 16 })
        #expect(m.contains("tensor 'text_projection.weight' has shape [32, 48], expected [16, 48]") || m.contains("visual_projection.weight"), "\(m)")
        m = Self.loadError(try Self.modelWithConfig { _, v, _ in v["image_size"] = 70 })
        #expect(m.contains("vision_model.embeddings.position_embedding.weight' has shape [17, 64], expected [26, 64]"), "\(m)")
        m = Self.loadError(try Self.modelWithConfig { _, v, _ in v["num_attention_heads"] = 5 })
        #expect(m.contains("config.json: vision hidden_size 64 is not divisible by num_attention_heads 5"), "\(m)")
        m = Self.loadError(try Self.modelWithConfig { _, v, _ in v["hidden_act"] = "swish" })
        #expect(m.contains("hidden_act 'swish' is not supported"), "\(m)")
    }

    @Test("the configuration is read from config.json")
    func configuration() throws {
        let c = try CLIPConfiguration(contentsOf: TestPaths.fixture("clip-tiny/model/config.json"))
        #expect(c.vision == CLIPConfiguration.Vision(hiddenSize: 64, intermediateSize: 256, layers: 4, heads: 4, imageSize: 56, patchSize: 14))
        #expect(c.text == CLIPConfiguration.Text(hiddenSize: 48, intermediateSize: 192, layers: 3, heads: 4))
        #expect(c.projectionDim == 32)
        // What huggingFaceJSON writes reads back equal.
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("config.json")
        for config in [c, .vitL14at336] {
            try config.huggingFaceJSON().write(to: url)
            #expect(try CLIPConfiguration(contentsOf: url) == config)
        }
    }
}

/// The tensor layout lists exactly the tensors of a real Hugging Face checkpoint.
@Suite("tensor layout")
struct TensorLayoutTests {
    @Test("clip-tiny's checkpoint has exactly the listed names and shapes")
    func matchesCheckpoint() throws {
        let model = TestPaths.fixture("clip-tiny/model")
        let config = try CLIPConfiguration(contentsOf: model.appendingPathComponent("config.json"))
        let file = try SafetensorsFile(contentsOf: model.appendingPathComponent("model.safetensors"))
        let layout = config.tensorLayout()
        #expect(layout.map(\.name).sorted() == file.names)
        for spec in layout { #expect(try file.entry(spec.name).shape == spec.shape, "\(spec.name)") }
    }
}
