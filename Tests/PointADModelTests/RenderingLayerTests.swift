import Foundation
import PointADModel
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
        let c0 = try ViewCorrespondence(imageSize: 2, pixels: [SIMD2(0, 0), SIMD2(1, 1), SIMD2(1, 0)], visible: [true, true, false])
        let c1 = try ViewCorrespondence(imageSize: 2, pixels: [SIMD2(0, 0), SIMD2(0, 1), SIMD2(1, 0)], visible: [true, false, true])
        let scores = try layer.score(views: views, correspondences: [c0, c1])
        #expect(maxAbsoluteError(scores.pointScores, [(Self.high + Self.low) / 2, Self.low, Self.low]) < 1e-6)
        #expect(abs(scores.globalProbability - (Self.high + Self.low) / 2) < 1e-6)
        #expect(maxAbsoluteError(scores.anomalyMap(view: 0), [Self.high, Self.low, Self.low, Self.low]) < 1e-6)
    }

    @Test("points no view shows borrow the visibility of the nearest seen point in index order")
    func visibilityFallback() throws {
        let px = [SIMD2<Int32>](repeating: SIMD2(0, 0), count: 6)
        // Seen: point 1 (view 0) and point 4 (view 1). Unseen: 0, 2, 3, 5.
        let v0 = try ViewCorrespondence(imageSize: 1, pixels: px, visible: [false, true, false, false, false, false])
        let v1 = try ViewCorrespondence(imageSize: 1, pixels: px, visible: [false, false, false, false, true, false])
        let vis = PointVisibility([v0, v1])
        // 0 → 1 (above, distance 1). 2 → 1 is at distance 1 below, 4 at 2 above → 1.
        // 3 → 4 (above, distance 1; below 1 at distance 2). 5 → nothing above, wraps to 1 (distance 5-5+1-0 = 1),
        // below: 4 at distance 1 is not strictly closer → the wrapped donor 1.
        #expect(vis.visible[0] == [true, true, true, false, false, true])
        #expect(vis.visible[1] == [false, false, false, true, true, false])
        #expect(vis.viewCounts == [1, 1, 1, 1, 1, 1])
        // Grid positions change the distances: with point 2 far from 1 in the grid, 4 wins.
        let spaced = PointVisibility([v0, v1], order: [0, 1, 10, 11, 12, 13])
        #expect(spaced.visible[1][2])
    }

    @Test("mismatched views and correspondences are refused")
    func mismatch() throws {
        let layer = RenderingLayer(prompts: Self.prompts)
        let c = try ViewCorrespondence(imageSize: 2, pixels: [SIMD2(0, 0)], visible: [true])
        #expect(throws: (any Error).self) { try layer.score(views: [try Self.view([true, true, true, true])], correspondences: [c, c]) }
        #expect(throws: (any Error).self) { try ViewCorrespondence(imageSize: 2, pixels: [SIMD2(2, 0)], visible: [true]) }
    }
}
