import CLIP
import Foundation
import TensorCore
import Testing
import TestSupport

/// `pointad embed` end to end on the authors' tiny model: DPAM tokens, global feature, prompt
/// text features and prompt gradients against their code's outputs (anomalyclip-tiny).
@Suite("pointad embed")
struct EmbedCommandTests {
    static let folder = TestPaths.fixture("anomalyclip-tiny")

    @Test("DPAM tokens, image features, prompt features and gradients match the authors' code")
    func anomalyCLIPTiny() throws {
        let expected = try SafetensorsFile(contentsOf: Self.folder.appendingPathComponent("expected.safetensors"))
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // The authors' learnable tensors under their checkpoint names, and the loss weights.
        var prompts = SafetensorsWriter()
        for name in expected.names where name.hasPrefix("learn.") { try prompts.add("prompt_learner." + name.dropFirst(6), try expected.tensor(name)) }
        try prompts.write(to: dir.appendingPathComponent("prompts.safetensors"))
        var weights = SafetensorsWriter()
        try weights.add("weights", try expected.tensor("grad.weights"))
        try weights.write(to: dir.appendingPathComponent("weights.safetensors"))

        let output = dir.appendingPathComponent("out.safetensors")
        let r = try runPointad(["embed", "--model", Self.folder.appendingPathComponent("model").path,
                                "--image", Self.folder.appendingPathComponent("image.png").path, "--layers", "1,2,3,4", "--dpam-layer", "3",
                                "--prompts", dir.appendingPathComponent("prompts.safetensors").path,
                                "--grad-weights", dir.appendingPathComponent("weights.safetensors").path, "--output", output.path])
        #expect(r.status == 0, "\(r.stderr)")
        let out = try SafetensorsFile(contentsOf: output)
        func compare(_ ours: String, _ theirs: String, _ tolerance: Float) throws {
            let a = try out.tensor(ours), b = try expected.tensor(theirs)
            #expect(a.count == b.count, "\(ours) \(a.shape) vs \(theirs) \(b.shape)")
            let e = maxRelativeError(a.toArray(), b.toArray())
            #expect(e <= tolerance, "\(ours): relative error \(e)")
        }
        for i in 1...4 { try compare("vision.projected.\(i)", "dpam.patch.\(i)", 1e-4) }
        try compare("image_features", "dpam.image_features", 1e-4)
        try compare("prompt_text_features", "prompt.text_features", 1e-4)
        for name in ["ctx_pos", "ctx_neg", "compound_prompts_text.0", "compound_prompts_text.1"] {
            try compare("grad.\(name)", "grad.\(name)", 1e-3)
        }
    }

    @Test("bad requests fail with a message, no output")
    func badRequests() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = TestPaths.fixture("clip-tiny/model").path, output = dir.appendingPathComponent("o.safetensors").path
        var r = try runPointad(["embed", "--model", model, "--output", output])
        #expect(r.status != 0 && r.stderr.contains("nothing to embed"))
        r = try runPointad(["embed", "--model", model, "--text", "a", "--layers", "1,x", "--output", output])
        #expect(r.status != 0 && r.stderr.contains("--layers"))
        r = try runPointad(["embed", "--model", model, "--image", TestPaths.fixture("clip-tiny/image.png").path, "--dpam-layer", "9", "--output", output])
        #expect(r.status != 0 && r.stderr.contains("DPAM layer 9 is out of range"))
        r = try runPointad(["embed", "--model", model, "--image", dir.appendingPathComponent("none.png").path, "--output", output])
        #expect(r.status != 0 && r.stderr.contains("none.png: no such file"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
