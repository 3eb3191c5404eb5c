import PointClouds
import Rendering

/// Where the time of one `Detector.score` call went, in seconds.
public struct DetectionTimings: Sendable, Codable {
    public var normals = 0.0
    public var rendering = 0.0
    public var vision = 0.0
    public var neighbours = 0.0
    public var layers = 0.0
    public var total = 0.0

    /// Everything except the vision tower.
    public var outsideVision: Double { total - vision }
}

/// What the detector produced for one cloud.
public struct Detection: Sendable {
    /// Scores of the cloud that was rendered: the input, or for an organised scan larger than the
    /// render size its nearest-neighbour resampling to that size (as the reference does).
    public let scores: CloudScores
    /// The rendered views (images and point–pixel correspondence of `scoredCloud`).
    public let views: [RenderedView]
    /// The cloud as scored (`CloudPreparation`: resized organised scans; coordinates near float's
    /// limits scaled by a power of two).
    public let scoredCloud: PointCloud
    /// One score per point of the input cloud, in its order.
    public let pointScores: [Float]
    public let timings: DetectionTimings
    /// Set when the cloud was resampled to Real3D-AD's point count: for each scored point (of
    /// `scoredCloud`, scored in `scores.pointScores`), the input point whose label it carries, as
    /// the authors' `interpolation_points_with_gt_colors` labels the resampled points.
    public var labelSources: [Int]? = nil

    public var objectScore: Float { scores.objectScore }
    /// View `k`'s anomaly map on the image grid (row-major, `render.size`²).
    public func anomalyMap(view k: Int) -> [Float] { scores.rendering.maps[k] }
}
