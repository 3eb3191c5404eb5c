import CLIP
import Foundation
import PointADSupport
import TensorCore
import Testing
import TestSupport

/// PyTorch checkpoints read without Python, against files torch itself wrote
/// (Scripts/fixtures/pytorch_checkpoints.py) and their safetensors twins.
@Suite("PyTorch checkpoints")
struct PyTorchCheckpointTests {
    static func fixture(_ name: String) -> URL { TestPaths.fixture("pytorch/" + name) }

    static func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return String(describing: error) }
        return "no error"
    }

    /// Every tensor of `layout` read through `a` equals the same through `b`, bit for bit.
    static func expectSameTensors(_ a: any TensorSource, _ b: any TensorSource, _ names: [String],
                                  transform: (Float) -> Float = { $0 }) throws {
        #expect(!names.isEmpty)
        for name in names {
            let x = try a.tensor(name), y = try b.tensor(name)
            #expect(x.shape == y.shape, "\(name): \(x.shape) vs \(y.shape)")
            let same = zip(x.toArray(), y.toArray()).allSatisfy { $0 == transform($1) }
            #expect(same, "\(name) differs")
        }
    }

    @Test("float16, bfloat16, float64, transposed and sliced views equal torch's float32 values")
    func dtypesAndViews() throws {
        let torch = try TorchCheckpoint(contentsOf: Self.fixture("dtypes.pt"))
        let expected = try SafetensorsFile(contentsOf: Self.fixture("dtypes-expected.safetensors"))
        #expect(torch.names == ["bfloat16", "double", "half", "ints", "scalar", "slice", "transposed"])
        #expect(torch.entries["half"]?.dtype == .float16 && torch.entries["bfloat16"]?.dtype == .bfloat16)
        try Self.expectSameTensors(torch, expected, expected.names)
        #expect(Self.message { _ = try torch.tensor("ints") }.contains("tensor 'ints' has dtype int64"))
        #expect(Self.message { _ = try torch.tensor("half", shape: [5, 3]) }.contains("has shape [3, 5], expected [5, 3]"))
    }

    @Test("a hand-made archive (Python's zipfile, no alignment) reads its one tensor")
    func handmade() throws {
        let file = try TorchCheckpoint(contentsOf: Self.fixture("malformed/handmade-valid.pt"))
        #expect(try file.tensor("weight").toArray() == [0, 1, 2, 3])
        #expect(try file.shape(of: "weight") == [2, 2])
    }

    @Test("malicious, truncated and lying files are refused, naming the file and the problem")
    func malformed() throws {
        func error(_ name: String) -> String { Self.message { _ = try TensorFiles.open(Self.fixture("malformed/" + name)) } }
        let evil = error("os-system.pt")
        #expect(evil.contains("os-system.pt") && evil.contains("refused global 'posix.system'"), "\(evil)")
        #expect(error("truncated.pt").contains("no end-of-central-directory record"))
        let past = error("storage-past-end.pt")
        #expect(past.contains("tensor 'weight'") && past.contains("declares 400 float32 elements (1600 bytes) but holds 16 bytes"), "\(past)")
        let lying = error("lying-shape.pt")
        #expect(lying.contains("tensor 'weight'") && lying.contains("size [3, 3]") && lying.contains("holds 4"), "\(lying)")
    }

    @Test("OpenAI's TorchScript .pt: sizes inferred as build_model does, every weight equal to the safetensors folder")
    func openAITorchScript() throws {
        let url = Self.fixture("openai-tiny.pt")
        let raw = try TorchCheckpoint(contentsOf: url)
        #expect(raw.isTorchScript)
        #expect(raw.contains("visual.transformer.resblocks.3.attn.in_proj_weight") && raw.contains("transformer.resblocks.0.attn_mask"))
        let folder = TestPaths.fixture("anomalyclip-tiny/model")
        let checkpoint = try CLIPCheckpoint.open(url)
        #expect(checkpoint.tokenizerDirectory == nil)
        // The folder's config differs only in what OpenAI's files cannot say (none of it matters here).
        #expect(checkpoint.configuration == (try CLIPConfiguration(contentsOf: folder.appendingPathComponent("config.json"))))
        let reference = try SafetensorsFile(contentsOf: folder.appendingPathComponent("model.safetensors"))
        let names = checkpoint.configuration.tensorLayout().map(\.name)
        #expect(Set(names) == Set(reference.names))
        try Self.expectSameTensors(checkpoint.weights, reference, names)
    }

    @Test("a plain float16 state dict in OpenAI's names reads as the float16 rounding of the weights")
    func openAIStateDictHalf() throws {
        let checkpoint = try CLIPCheckpoint.open(Self.fixture("openai-tiny-state-dict-f16.pt"))
        let reference = try SafetensorsFile(contentsOf: TestPaths.fixture("anomalyclip-tiny/model/model.safetensors"))
        try Self.expectSameTensors(checkpoint.weights, reference, checkpoint.configuration.tensorLayout().map(\.name)) { Float(Float16($0)) }
    }

    @Test("pytorch_model.bin, sharded .bin and sharded safetensors folders equal the safetensors folder")
    func huggingFaceVariants() throws {
        let reference = try CLIPCheckpoint.open(Self.fixture("hf-tiny"))
        let names = reference.configuration.tensorLayout().map(\.name)
        for variant in ["hf-tiny-bin", "hf-tiny-bin-sharded", "hf-tiny-safetensors-sharded"] {
            let checkpoint = try CLIPCheckpoint.open(Self.fixture(variant))
            #expect(checkpoint.configuration == reference.configuration)
            try Self.expectSameTensors(checkpoint.weights, reference.weights, names)
        }
        let bin = try TorchCheckpoint(contentsOf: Self.fixture("hf-tiny-bin/pytorch_model.bin"))
        #expect(bin.entries["text_model.embeddings.position_ids"]?.dtype == .int64)
    }

    @Test("a shard index naming a tensor its shard lacks is refused, naming both")
    func badShardIndex() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = Self.fixture("hf-tiny-safetensors-sharded")
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        let index = dir.appendingPathComponent("model.safetensors.index.json")
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: index)) as? [String: Any])
        var map = try #require(json["weight_map"] as? [String: String])
        map["logit_scale"] = map["logit_scale"] == "model-00001-of-00002.safetensors" ? "model-00002-of-00002.safetensors" : "model-00001-of-00002.safetensors"
        json["weight_map"] = map
        try JSONSerialization.data(withJSONObject: json).write(to: index)
        let m = Self.message { _ = try CLIPCheckpoint.open(dir) }
        #expect(m.contains("tensor 'logit_scale' is listed in model.safetensors.index.json but missing from this shard"), "\(m)")
    }

    @Test("the authors' prompt .pth reads as its safetensors twin; token_prefix/suffix buffers are ignored")
    func authorsPrompts() throws {
        let pth = try PromptsFile.read(Self.fixture("epoch_15.pth"), width: 64)
        let reference = try PromptsFile.read(Self.fixture("prompts-reference.safetensors"), width: 64)
        #expect(pth.named.map(\.0) == reference.named.map(\.0))
        for ((name, a), (_, b)) in zip(pth.named, reference.named) {
            #expect(a.shape == b.shape && a.toArray() == b.toArray(), "\(name)")
        }
        #expect(Self.message { _ = try PromptsFile.read(Self.fixture("epoch_15.pth"), width: 768) }.contains("width is 768"))
    }

    @Test("the built-in OpenAI tokenizer equals the one read from vocab.json and merges.txt")
    func builtInTokenizer() throws {
        let files = try CLIPTokenizer(directory: TestPaths.fixture("clip-tiny/model"))
        let builtIn = CLIPTokenizer.openAI()
        #expect(builtIn.vocabulary == files.vocabulary)
        for text in ["a photo of a damaged object.", "X X X X object", "Ünïcode & symbols!!"] {
            #expect(builtIn.encodePadded(text, contextLength: 77, padding: nil) == files.encodePadded(text, contextLength: 77, padding: nil))
        }
    }

    @Test("convert: .pt → model folder and .pth → prompts file, equal to their sources; an existing output is refused")
    func convert() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let folder = dir.appendingPathComponent("model")
        #expect(try CheckpointConversion.convert(Self.fixture("openai-tiny.pt"), to: folder) == .model)
        let converted = try CLIPModel(directory: folder)
        let source = try CLIPCheckpoint.open(Self.fixture("openai-tiny.pt"))
        #expect(converted.configuration == source.configuration)
        try Self.expectSameTensors(converted.weights, source.weights, source.configuration.tensorLayout().map(\.name))
        let prompts = dir.appendingPathComponent("prompts.safetensors")
        #expect(try CheckpointConversion.convert(Self.fixture("epoch_15.pth"), to: prompts) == .prompts)
        #expect(try PromptsFile.read(prompts).named.map { $0.1.toArray() } == (try PromptsFile.read(Self.fixture("epoch_15.pth")).named.map { $0.1.toArray() }))
        #expect(Self.message { try CheckpointConversion.convert(Self.fixture("epoch_15.pth"), to: prompts) }.contains("already exists"))
    }
}
