import CLIP
import Foundation
import TensorCore
import Testing
import TestSupport

/// `embed`, `score`, `info` and `convert` given PyTorch files directly: the same numbers as from
/// the same weights in safetensors.
@Suite("PyTorch checkpoints on the command line")
struct PyTorchCheckpointCommandTests {
    static let authors = TestPaths.fixture("anomalyclip-tiny")
    static func fixture(_ name: String) -> String { TestPaths.fixture("pytorch/" + name).path }

    @Test("embed with DPAM, prompts and gradients: OpenAI .pt + authors' .pth equal safetensors model + prompts")
    func embedParity() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let expected = try SafetensorsFile(contentsOf: Self.authors.appendingPathComponent("expected.safetensors"))
        var weights = SafetensorsWriter()
        try weights.add("weights", try expected.tensor("grad.weights"))
        let weightsURL = dir.appendingPathComponent("weights.safetensors")
        try weights.write(to: weightsURL)
        func embed(model: String, prompts: String, _ out: String) throws -> SafetensorsFile {
            let output = dir.appendingPathComponent(out)
            let r = try runPointad(["embed", "--model", model, "--image", Self.authors.appendingPathComponent("image.png").path,
                                    "--text", "a photo of a damaged object.", "--layers", "1,2,3,4", "--dpam-layer", "3",
                                    "--prompts", prompts, "--grad-weights", weightsURL.path, "--output", output.path])
            #expect(r.status == 0, "\(r.stderr)")
            return try SafetensorsFile(contentsOf: output)
        }
        let reference = try embed(model: Self.authors.appendingPathComponent("model").path,
                                  prompts: Self.fixture("prompts-reference.safetensors"), "reference.safetensors")
        let torch = try embed(model: Self.fixture("openai-tiny.pt"), prompts: Self.fixture("epoch_15.pth"), "torch.safetensors")
        let names = reference.names.filter { $0 != "text.input_ids" }
        #expect(names.contains("grad.ctx_pos") && names.contains("vision.projected.4") && names.contains("prompt_text_features"))
        #expect(torch.names == reference.names)
        for name in names {
            let e = maxRelativeError(try torch.tensor(name).toArray(), try reference.tensor(name).toArray())
            #expect(e <= 1e-6, "\(name): relative error \(e)")
        }
        #expect(try torch.int32Values("text.input_ids").values == reference.int32Values("text.input_ids").values)
    }

    @Test("embed from pytorch_model.bin and sharded folders equals the safetensors folder")
    func embedHuggingFaceVariants() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let image = TestPaths.fixture("clip-tiny/image.png").path
        func embed(_ model: String) throws -> [Float] {
            let output = dir.appendingPathComponent(model + ".safetensors")
            let r = try runPointad(["embed", "--model", Self.fixture(model), "--image", image, "--layers", "1,2", "--dpam-layer", "2",
                                    "--text", "a damaged object.", "--output", output.path])
            #expect(r.status == 0, "\(r.stderr)")
            let file = try SafetensorsFile(contentsOf: output)
            return try file.names.filter { $0 != "text.input_ids" }.flatMap { try file.tensor($0).toArray() }
        }
        let reference = try embed("hf-tiny")
        #expect(reference.count > 100)
        for variant in ["hf-tiny-bin", "hf-tiny-bin-sharded", "hf-tiny-safetensors-sharded"] {
            #expect(maxRelativeError(try embed(variant), reference) <= 1e-6, "\(variant)")
        }
    }

    @Test("score: the same per-point scores from the .pt and .pth as from safetensors")
    func scoreParity() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var text = "ply\nformat ascii 1.0\nelement vertex 400\nproperty float x\nproperty float y\nproperty float z\nend_header\n"
        for i in 0..<400 {
            let t = Float(i) * 0.157, r = 1 + 0.2 * sin(Float(i) * 0.31)
            text += "\(r * cos(t)) \(r * sin(t)) \(Float(i % 20) * 0.1 - 1)\n"
        }
        let cloud = dir.appendingPathComponent("part.ply")
        try Data(text.utf8).write(to: cloud)
        func score(model: String, prompts: String, _ out: String) throws -> Data {
            let folder = dir.appendingPathComponent(out)
            let r = try runPointad(["score", cloud.path, "--model", model, "--prompts", prompts, "--out", folder.path])
            #expect(r.status == 0, "\(r.stderr)")
            return Self.withoutComments(try Data(contentsOf: folder.appendingPathComponent("part.ply")))
        }
        let reference = try score(model: Self.authors.appendingPathComponent("model").path,
                                  prompts: Self.fixture("prompts-reference.safetensors"), "reference")
        let torch = try score(model: Self.fixture("openai-tiny.pt"), prompts: Self.fixture("epoch_15.pth"), "torch")
        #expect(reference.count > 1000)
        #expect(torch == reference)
    }

    /// A PLY without its header's comment lines (they name the model and prompts files, which differ).
    static func withoutComments(_ ply: Data) -> Data {
        guard let end = ply.range(of: Data("end_header\n".utf8)) else { return ply }
        let header = String(decoding: ply[..<end.lowerBound], as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("comment ") }.joined(separator: "\n")
        return Data(header.utf8) + ply[end.lowerBound...]
    }

    @Test("info lists a checkpoint's tensors; convert writes a folder embed can use; a malicious file is refused by name")
    func infoAndConvert() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var r = try runPointad(["info", Self.fixture("openai-tiny.pt")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("TorchScript archive") && r.stdout.contains("visual.conv1.weight  float32  [128, 3, 14, 14]"), "\(r.stdout)")
        r = try runPointad(["info", Self.fixture("malformed/os-system.pt")])
        #expect(r.status != 0 && r.stderr.contains("refused global 'posix.system'"), "\(r.stderr)")
        let out = dir.appendingPathComponent("converted")
        r = try runPointad(["convert", Self.fixture("hf-tiny-bin-sharded"), "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        for name in ["config.json", "model.safetensors", "vocab.json", "merges.txt"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
        }
        r = try runPointad(["embed", "--model", out.path, "--text", "x", "--output", dir.appendingPathComponent("e.safetensors").path])
        #expect(r.status == 0, "\(r.stderr)")
    }
}
