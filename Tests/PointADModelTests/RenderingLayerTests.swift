import Foundation
import PointADModel
import Rendering
import Testing
import TensorCore
import TestSupport

/// The rendering layer on hand-made features: a 2×2 patch grid whose tokens point exactly at the
/// normal or abnormal prompt, so every probability is known in closed form.
@Suite("rendering layer")
struct RenderingLayerTests {
    static let prompts = try! PromptFeatures(normal: [1, 0], abnormal: [0, 1])
    /// σ(1/0.07) and σ(−1/0.07): a token equal to the abnormal / normal prompt.
    static let high: Float = 1 / (1 + Float(exp(-1 / 0.07)))
    static let low: Float = 1 - high

    /// A view whose patch (row, column) tokens are abnormal where `abnormal` says so.
    static func view(_ abnormal: [Bool], global: Bool = false) throws -> ViewFeatures {
        let values: [Float] = abnormal.flatMap { (a: Bool) -> [Float] in a ? [0, 1] : [1, 0] }
        let cls: [Float] = global ? [0, 1] : [1, 0]
        return try ViewFeatures(layers: [Tensor(shape: [4, 2], values: values)], classEmbedding: Tensor(shape: [2], values: cls))
    }

    @Test("patch maps, layer mean, and global probability")
    func patchMaps() throws {
        let layer = RenderingLayer(prompts: Self.prompts)
        let one = try Self.view([true, false, false, false], global: true)
        #expect(maxAbsoluteError(try layer.patchProbabilities(one), [Self.high, Self.low, Self.low, Self.low]) < 1e-6)
        // Two layers: the mean of their maps.
        let two = try ViewFeatures(layers: [one.layers[0], try Self.view([false, false, false, true]).layers[0]],
                                   classEmbedding: one.classEmbedding)
        let mid = (Self.high + Self.low) / 2
        #expect(maxAbsoluteError(try layer.patchProbabilities(two), [mid, Self.low, Self.low, mid]) < 1e-6)
        #expect(abs(try PatchScoring.abnormalProbability(one.classEmbedding, prompts: Self.prompts) - Self.high) < 1e-6)
    }

    @Test("point score = mean over the views that show the point of its pixel's value")
    func backProjection() throws {
        let layer = RenderingLayer(prompts: Self.prompts)
        // Image 2×2 = patch grid 2×2 (upsampling is then the identity).
        let views = [try Self.view([true, false, false, false], global: true), try Self.view([false, false, false, false])]
        // Pixels are row-major indices on the 2×2 image: (0,0) → 0, (1,1) → 3, (1,0) → 1, (0,1) → 2.
        let c0 = ViewProjection(size: 2, pixels: [0, 3, 1], visible: [true, true, false])
        let c1 = ViewProjection(size: 2, pixels: [0, 2, 1], visible: [true, false, true])
        let scores = try layer.score(views: views, projections: [c0, c1])
        #expect(maxAbsoluteError(scores.pointScores, [(Self.high + Self.low) / 2, Self.low, Self.low]) < 1e-6)
        #expect(abs(scores.globalProbability - (Self.high + Self.low) / 2) < 1e-6)
        #expect(maxAbsoluteError(scores.maps[0], [Self.high, Self.low, Self.low, Self.low]) < 1e-6)
    }

    @Test("mismatched views and projections are refused")
    func mismatch() throws {
        let layer = RenderingLayer(prompts: Self.prompts)
        let c = ViewProjection(size: 2, pixels: [0], visible: [true])
        #expect(throws: (any Error).self) { try layer.score(views: [try Self.view([true, true, true, true])], projections: [c, c]) }
    }
}
