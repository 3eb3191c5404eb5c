import PointADSupport
import Rendering
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

    /// Scores all views and back-projects their maps to the points (Rendering's `BackProjection`:
    /// the mean over the views that see a point of its pixel's value; `unseen` decides what points
    /// no view sees get, `positions` are needed for `.nearestSeenPoint`).
    public func score(views: [ViewFeatures], projections: [ViewProjection], positions: [SIMD3<Float>]? = nil,
                      unseen: UnseenPoints = .nearestSeenPoint) throws -> RenderingLayerScores {
        try Self.checkViews(views, projections, width: prompts.width)
        let grids = try views.map { try patchProbabilities($0) }
        let global = try views.map { try PatchScoring.abnormalProbability($0.classEmbedding, prompts: prompts, temperature: temperature) }
        let upsampler = BilinearUpsampler(source: views[0].gridSide, target: projections[0].size)
        let maps = grids.map { upsampler.upsample($0) }
        let points = try BackProjection.pointScores(maps: maps, projections: projections, positions: positions, unseen: unseen)
        return RenderingLayerScores(patchProbabilities: grids, maps: maps, globalProbabilities: global, pointScores: points, upsampler: upsampler)
    }

    /// Throws unless there is at least one view, one projection per view, and all agree in shape.
    static func checkViews(_ views: [ViewFeatures], _ projections: [ViewProjection], width: Int) throws {
        guard !views.isEmpty, views.count == projections.count else {
            throw UsageError("rendering layer: \(views.count) views of features vs \(projections.count) point-pixel projections")
        }
        for v in views where v.gridSide != views[0].gridSide || v.width != width {
            throw UsageError("rendering layer: views disagree on grid side or width (\(v.gridSide)/\(v.width) vs \(views[0].gridSide)/\(width))")
        }
        for c in projections where c.count != projections[0].count || c.size != projections[0].size {
            throw UsageError("rendering layer: projections disagree on point count or image size")
        }
    }
}

/// What the rendering layer computed for one cloud.
public struct RenderingLayerScores: Sendable {
    /// Per view: abnormal probability of each patch (layer mean), `side²` row-major.
    public let patchProbabilities: [[Float]]
    /// Per view: the anomaly map on the image grid (`size²`, row-major), the bilinear upsampling of
    /// `patchProbabilities`.
    public let maps: [[Float]]
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
}
