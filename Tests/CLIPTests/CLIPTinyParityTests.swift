import CLIP
import Foundation
import Imaging
import TensorCore
import Testing
import TestSupport

/// Parity with transformers on Fixtures/clip-tiny: every tensor of `expected.safetensors` to a
/// relative error ≤ 1e-4 (max |ours − theirs| / max |theirs|).
@Suite("clip-tiny parity with transformers")
struct CLIPTinyParityTests {
    static let folder = TestPaths.fixture("clip-tiny")
    static let texts = ["a photo of a damaged object.", "A photo of a flawless object.",
                        "X X X X X X X X X X X X object.", "X X X X X X X X X X X X damaged object."]

    let reference: ReferenceTensors
    var model: CLIPModel { reference.model }
    var expected: SafetensorsFile { reference.expected }

    init() throws { reference = try ReferenceTensors(Self.folder) }

    func check(_ name: String, _ actual: Tensor, tolerance: Float = 1e-4) throws {
        try reference.check(name, actual, tolerance: tolerance)
    }

    @Test("preprocessed pixels")
    func pixels() throws {
        let pixels = try ImagePreprocessing.pixels(pngs: [Self.folder.appendingPathComponent("image.png")], size: 56)
        try check("pixel_values", pixels, tolerance: 1e-6)
    }

    @Test("vision tower: hidden states, projected tokens, pooled, image embeds")
    func vision() throws {
        let pixels = try expected.tensor("pixel_values")
        let out = try model.requireVision().encode(pixels: pixels, layers: [1, 2, 3, 4], keepHidden: true)
        #expect(out.hidden.count == 5)
        for (i, h) in out.hidden.enumerated() { try check("vision.hidden.\(i)", h) }
        for i in 1...4 { try check("vision.projected.\(i)", try #require(out.projectedLayers[i])) }
        try check("vision.pooled", out.pooled)
        try check("image_embeds", out.imageEmbeds)
    }

    @Test("text tower: ids, last hidden state, pooled, text embeds, logits")
    func text() throws {
        let ids = try model.tokenize(Self.texts)
        let (_, reference) = try expected.int32Values("text.input_ids")
        #expect(ids.flatMap { $0 } == reference)
        let out = try model.requireText().encode(ids: ids)
        try check("text.last_hidden", out.lastHidden)
        try check("text.pooled", out.pooled)
        try check("text_embeds", out.textEmbeds)

        let image = try model.requireVision().encode(pixels: try expected.tensor("pixel_values")).imageEmbeds
        image.l2NormalizeRows()
        let text = out.textEmbeds.copy()
        text.l2NormalizeRows()
        let logits = try text.matmul(image, transposeOther: true)
        logits.scale(by: Float(exp(Double(model.logitScale))))
        try check("logits_per_image", logits)
    }
}
