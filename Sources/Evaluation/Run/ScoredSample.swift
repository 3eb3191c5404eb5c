/// What the evaluation keeps of one scored sample until its class's metrics are computed.
public struct ScoredSample: Sendable {
    public var sample: SampleDescriptor
    /// Position in the full walk (before sharding): fixes the order of every output.
    public var index: Int
    public var objectScore: Float
    /// The scores the point-level metrics pool: one per point, or under the `mvtec` / `pointad`
    /// protocols one per cell of the protocol's grid (`ProtocolGrid`); labels and regions match.
    public var pointScores: [Float]
    /// Empty when the sample has no point labels.
    public var pointLabels: [UInt8]
    /// Per-point region ids within this sample (0 = defect-free), nil without regions.
    public var regions: [Int32]?
    /// The scorer's per-point scores in input order, when `pointScores` holds grid cells instead
    /// (what `--save-scores` writes); nil when they are `pointScores`.
    public var inputScores: [Float]?
    /// The scorer's own map, kept only to be saved beside the scores (`<stem>.map.npy`), so that
    /// `pointad metrics` reproduces the `pointad` protocol exactly.
    public var map: ScoreMap?
    /// The resampled points' scores and label sources when `pointScores` are those of the points a
    /// Real3D-AD resampling made, kept to be saved (`<stem>.resampled.npy`, `.resampled-sources.npy`)
    /// so that `pointad metrics` reproduces the `pointad` protocol; nil otherwise.
    public var resampled: ResampledScores?

    public init(sample: SampleDescriptor, index: Int, objectScore: Float, pointScores: [Float],
                pointLabels: [UInt8], regions: [Int32]?, inputScores: [Float]? = nil, map: ScoreMap? = nil) {
        self.map = map
        self.sample = sample
        self.index = index
        self.objectScore = objectScore
        self.pointScores = pointScores
        self.pointLabels = pointLabels
        self.regions = regions
        self.inputScores = inputScores
    }

    /// The object label: the dataset's, else whether any point is anomalous, else unknown.
    public var label: Int? {
        if let l = sample.label { return l }
        return pointLabels.isEmpty ? nil : (pointLabels.contains { $0 != 0 } ? 1 : 0)
    }
}

/// A sample that could not be evaluated: reported with its path, skipped and counted.
public struct SampleFailure: Sendable, Codable, Equatable {
    public var index: Int
    public var className: String
    public var stem: String
    public var path: String
    public var problem: String

    enum CodingKeys: String, CodingKey { case index, className = "class", stem, path, problem }
}
