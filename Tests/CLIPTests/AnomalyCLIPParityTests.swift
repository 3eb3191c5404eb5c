import CLIP
import Foundation
import TensorCore
import Testing
import TestSupport

/// Parity with the PointAD authors' own model code on Fixtures/anomalyclip-tiny: plain and DPAM
/// patch tokens, the global feature, and the text features of their learnable prompts.
@Suite("anomalyclip-tiny parity with the authors' code")
struct AnomalyCLIPParityTests {
    static let folder = TestPaths.fixture("anomalyclip-tiny")
    let reference: ReferenceTensors
    var model: CLIPModel { reference.model }
    var expected: SafetensorsFile { reference.expected }

    init() throws { reference = try ReferenceTensors(Self.folder) }

    func check(_ name: String, _ actual: Tensor, tolerance: Float = 1e-4) throws {
        try reference.check(name, actual, tolerance: tolerance)
    }

    @Test("plain patch tokens and global feature")
    func plain() throws {
        let out = try model.requireVision().encode(pixels: try expected.tensor("pixel_values"), layers: [1, 2, 3, 4])
        for i in 1...4 { try check("plain.patch.\(i)", try #require(out.projectedLayers[i])) }
        try check("plain.image_features", out.imageEmbeds)
    }

    @Test("DPAM value-value tokens (DPAM_layer 3: blocks 3 and 4) and global feature")
    func dpam() throws {
        let vision = try model.requireVision()
        #expect(try vision.firstDPAMBlock(dpamLayer: 3) == 3)
        let out = try vision.encode(pixels: try expected.tensor("pixel_values"), layers: [1, 2, 3, 4], dpamLayer: 3)
        for i in 1...4 { try check("dpam.patch.\(i)", try #require(out.projectedLayers[i])) }
        try check("dpam.image_features", out.imageEmbeds)
    }

    @Test("learnable prompt text features, from the authors' tensors via the importer")
    func promptFeatures() throws {
        // The fixture stores the learnable tensors as learn.<name>; re-save them under the
        // authors' names with their prefix, as a user's converted checkpoint would be.
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var writer = SafetensorsWriter()
        for name in expected.names where name.hasPrefix("learn.") {
            try writer.add("prompt_learner." + name.dropFirst(6), try expected.tensor(name))
        }
        let url = directory.appendingPathComponent("epoch_15.safetensors")
        try writer.write(to: url)
        let prompts = try PromptsFile.read(url, width: 64)
        #expect(prompts.contextLength == 12 && prompts.depth == 3 && prompts.deepLength == 4 && prompts.width == 64)

        let tokenizer = try model.requireTokenizer()
        let ids = ObjectAgnosticPrompts.tokenIDs(contextLength: 12, tokenizer: tokenizer)
        #expect(ids.flatMap { $0 } == (try expected.int32Values("prompt.tokenized").values))
        let features = try model.requireText().promptFeatures(prompts, tokenizer: tokenizer)
        try check("prompt.text_features", features)
    }
}
