import Imaging
import PointClouds

/// What a detector returns for one sample.
public struct SampleScore: Sendable {
    /// The object-level anomaly score.
    public var objectScore: Float
    /// One score per point of the cloud it was given, in the cloud's order.
    public var pointScores: [Float]
    /// Organised scans: the detector's full map on the grid it scored (background included), which
    /// the `mvtec` / `pointad` protocols take when it has their grid's size; nil = none.
    public var map: ScoreMap?
    /// Draws the sample's picture for `report.html` given its per-point labels (nil = unknown);
    /// nil when the scorer has nothing to show (saved scores, test fakes).
    public var picture: (@Sendable (_ labels: [UInt8]?) throws -> Image)?
    /// Unorganised clouds the detector resampled to Real3D-AD's count: the scores of the points it
    /// scored, which the `pointad` protocol evaluates; nil = the cloud's own points were scored.
    public var resampled: ResampledScores?

    public init(objectScore: Float, pointScores: [Float], map: ScoreMap? = nil,
                picture: (@Sendable (_ labels: [UInt8]?) throws -> Image)? = nil, resampled: ResampledScores? = nil) {
        self.resampled = resampled
        self.objectScore = objectScore
        self.pointScores = pointScores
        self.map = map
        self.picture = picture
    }
}

/// Scores one sample. The evaluation calls it once per sample, one sample at a time (a scorer is
/// free to use every core inside), and checks the result: one finite score per point.
public protocol SampleScorer {
    /// Scores `cloud`, the points of `sample` as loaded (for an organised TIFF: its valid pixels in
    /// row-major order). `sample.rgb` is the registered colour image, when the dataset has one.
    func score(_ cloud: PointCloud, sample: SampleDescriptor) throws -> SampleScore
}

/// A sample's points and ground truth, as the metrics need them.
public struct LoadedSample: Sendable {
    public var cloud: PointCloud
    /// Per-point labels (nonzero = anomalous), nil when the dataset gives none.
    public var pointLabels: [UInt8]?
    /// Per-point defect-region ids (0 = defect-free, 1… = 8-connected regions of the gt mask), for
    /// organised grids only: AU-PRO needs regions.
    public var regions: [Int32]?
    /// Organised scans with a gt image: the mask on the full grid (the `mvtec` and `pointad`
    /// protocols count pixels without a point too); nil = defect-free.
    public var mask: GridMask?

    public init(cloud: PointCloud, pointLabels: [UInt8]?, regions: [Int32]? = nil, mask: GridMask? = nil) {
        self.cloud = cloud
        self.pointLabels = pointLabels
        self.regions = regions
        self.mask = mask
    }
}

/// Reads a sample's files. `DatasetSampleLoader` reads the real formats; tests substitute fakes.
public protocol SampleLoading: Sendable {
    func load(_ sample: SampleDescriptor) throws -> LoadedSample
}
