import CLIP
import Foundation
import PointADModel
import Testing
import TensorCore
import TestSupport

/// The CLIP side of the detector on Fixtures/anomalyclip-tiny, whose expected tensors come from the
/// PointAD authors' own code: view features (DPAM path tokens, class token) and the anomaly map the
/// rendering layer makes from them, recomputed here in double precision from the fixture alone.
@Suite("view encoder and prompts on the authors' tiny model")
struct ViewEncoderTests {
    static let folder = TestPaths.fixture("anomalyclip-tiny")

    static func normalisedRows(_ t: Tensor, dropFirst: Bool) -> [[Double]] {
        let cols = t.shape.last!, rows = t.count / cols
        return ((dropFirst ? 1 : 0)..<rows).map { r in
            let row = (0..<cols).map { Double(t.pointer[r * cols + $0]) }
            let n = row.map { $0 * $0 }.reduce(0, +).squareRoot()
            return row.map { $0 / n }
        }
    }

    @Test("patch tokens of the DPAM path's last block and the class token, normalised; map = softmax(cos/0.07)")
    func encoderAndMap() throws {
        let model = try CLIPModel(directory: Self.folder.appendingPathComponent("model"))
        let expected = try SafetensorsFile(contentsOf: Self.folder.appendingPathComponent("expected.safetensors"))
        let encoder = try ViewEncoder(vision: model.requireVision(), layers: .paper, dpamLayer: 3)
        #expect(encoder.blocks == [4])
        let views = try encoder.encode(pixels: expected.tensor("pixel_values"))
        let view = try #require(views.first)
        #expect(view.gridSide == 4)
        let tokens = Self.normalisedRows(try expected.tensor("dpam.patch.4"), dropFirst: true)
        #expect(maxAbsoluteError(view.layers[0].toArray(), tokens.flatMap { $0 }.map(Float.init)) < 1e-4)
        let global = Self.normalisedRows(try expected.tensor("dpam.image_features"), dropFirst: false)[0]
        #expect(maxAbsoluteError(view.classEmbedding.toArray(), global.map(Float.init)) < 1e-4)

        // The authors' text features for their learnable prompts → the rendering layer's patch map.
        let text = try expected.tensor("prompt.text_features")
        let prompts = try PromptFeatures(embeddings: text)
        let t = Self.normalisedRows(text, dropFirst: false)
        let map = try RenderingLayer(prompts: prompts).patchProbabilities(view)
        let reference = tokens.map { f -> Float in
            let cn = zip(f, t[0]).map(*).reduce(0, +), ca = zip(f, t[1]).map(*).reduce(0, +)
            return Float(1 / (1 + Foundation.exp((cn - ca) / 0.07)))
        }
        #expect(maxAbsoluteError(map, reference) < 1e-3)
    }

    @Test("prompts file: rendering and geometry sets round-trip; a file for another width is refused naming both")
    func promptsFile() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("prompts.safetensors")
        let rendering = PromptSet.random(contextLength: 3, width: 8, depth: 2, deepLength: 2, seed: 1)
        let geometry = PromptSet.random(contextLength: 3, width: 8, depth: 2, deepLength: 2, seed: 2)
        try HierarchicalPrompts(rendering: rendering, geometry: geometry).write(to: url)
        let back = try HierarchicalPrompts.read(url, width: 8)
        #expect(back.rendering.ctxPos.toArray() == rendering.ctxPos.toArray())
        #expect(back.geometry?.ctxNeg.toArray() == geometry.ctxNeg.toArray())
        #expect(back.geometry?.deepTokens[0].toArray() == geometry.deepTokens[0].toArray())
        do {
            _ = try HierarchicalPrompts.read(url, width: 768)
            Issue.record("a width-8 prompts file was accepted for a width-768 model")
        } catch {
            #expect("\(error)".contains("8") && "\(error)".contains("768"))
        }
    }
}

