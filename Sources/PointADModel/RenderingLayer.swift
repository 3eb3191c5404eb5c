import PointADSupport
import TensorCore

/// PointAD's rendering layer (dossier §3.3, §4.5, §7): every view's patch tokens are scored
/// against the rendering prompts, averaged over the selected vision layers, and upsampled to
/// the image grid; a point's score is the mean over the views that show it of its pixel's
/// abnormal probability; each view's class token gives a global probability.
///
/// The layer mean is taken on the patch grid before upsampling: bilinear upsampling is linear,
/// so this equals the reference's mean of upsampled maps and costs one upsampling, not L.
public struct RenderingLayer: Sendable {
    public let prompts: PromptFeatures
    public let temperature: Float

    public init(prompts: PromptFeatures, temperature: Float = SimilarityTemperature.reference) {
        self.prompts = prompts
        self.temperature = temperature
    }

    /// The abnormal probability of every patch of one view, averaged over its layers (`side²`, row-major).
    public func patchProbabilities(_ view: ViewFeatures) throws -> [Float] {
        var mean = [Float](repeating: 0, count: view.gridSide * view.gridSide)
        for layer in view.layers {
            let p = try PatchScoring.abnormalProbabilities(layer, prompts: prompts, temperature: temperature)
            for i in mean.indices { mean[i] += p[i] }
        }
        let inv = 1 / Float(view.layers.count)
        for i in mean.indices { mean[i] *= inv }
        return mean
    }

    /// Scores all views and back-projects them to the points.
    public func score(views: [ViewFeatures], correspondences: [ViewCorrespondence],
                      visibility: PointVisibility? = nil) throws -> RenderingLayerScores {
        try Self.checkViews(views, correspondences, width: prompts.width)
        let grids = try views.map { try patchProbabilities($0) }
        let global = try views.map { try PatchScoring.abnormalProbability($0.classEmbedding, prompts: prompts, temperature: temperature) }
        let upsampler = BilinearUpsampler(source: views[0].gridSide, target: correspondences[0].imageSize)
        let seen = visibility ?? PointVisibility(correspondences)
        let points = BackProjection.pointScores(grids: grids, upsampler: upsampler, correspondences: correspondences, visibility: seen)
        return RenderingLayerScores(patchProbabilities: grids, globalProbabilities: global, pointScores: points, upsampler: upsampler)
    }

    /// Throws unless there is at least one view, one correspondence per view, and all agree in shape.
    static func checkViews(_ views: [ViewFeatures], _ correspondences: [ViewCorrespondence], width: Int) throws {
        guard !views.isEmpty, views.count == correspondences.count else {
            throw UsageError("rendering layer: \(views.count) views of features vs \(correspondences.count) point-pixel correspondences")
        }
        for v in views where v.gridSide != views[0].gridSide || v.width != width {
            throw UsageError("rendering layer: views disagree on grid side or width (\(v.gridSide)/\(v.width) vs \(views[0].gridSide)/\(width))")
        }
        for c in correspondences where c.pointCount != correspondences[0].pointCount || c.imageSize != correspondences[0].imageSize {
            throw UsageError("rendering layer: correspondences disagree on point count or image size")
        }
    }
}

/// What the rendering layer computed for one cloud.
public struct RenderingLayerScores: Sendable {
    /// Per view: abnormal probability of each patch (layer mean), `side²` row-major.
    public let patchProbabilities: [[Float]]
    /// Per view: the class token's abnormal probability.
    public let globalProbabilities: [Float]
    /// Per point: mean over the views that show it of its pixel's abnormal probability.
    public let pointScores: [Float]
    /// Patch grid → image grid.
    public let upsampler: BilinearUpsampler

    /// The mean over views of the global probabilities (the reference's `text_prob`).
    public var globalProbability: Float {
        globalProbabilities.isEmpty ? 0 : globalProbabilities.reduce(0, +) / Float(globalProbabilities.count)
    }

    /// View `index`'s anomaly map on the image grid (`imageSize²`, row-major).
    public func anomalyMap(view index: Int) -> [Float] { upsampler.upsample(patchProbabilities[index]) }
}

/// Point scores from per-view patch maps (dossier §3.3): score_j = Σ_k vis_jk · S_k[v_jk, u_jk] / Σ_k vis_jk,
/// with S_k the bilinear upsampling of view k's grid, evaluated only at the pixels points land on.
public enum BackProjection {
    public static func pointScores(grids: [[Float]], upsampler: BilinearUpsampler,
                                   correspondences: [ViewCorrespondence], visibility: PointVisibility) -> [Float] {
        let n = correspondences.first?.pointCount ?? 0
        var sums = [Float](repeating: 0, count: n)
        for (k, view) in correspondences.enumerated() {
            let seen = visibility.visible[k]
            grids[k].withUnsafeBufferPointer { g in
                for j in 0..<n where seen[j] {
                    let p = view.pixels[j]
                    sums[j] += upsampler.sample(g.baseAddress!, x: Int(p.x), y: Int(p.y))
                }
            }
        }
        for j in 0..<n { sums[j] = visibility.viewCounts[j] > 0 ? sums[j] / Float(visibility.viewCounts[j]) : 0 }
        return sums
    }
}
