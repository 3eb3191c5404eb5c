import PointADSupport

/// A sample's scores on the points the detector actually scored when it resampled an unorganised
/// cloud to Real3D-AD's fixed count (`Real3DResampling`): the `pointad` protocol evaluates these,
/// as the authors' `test_only_point.py` evaluates its 112,896 resampled points.
public struct ResampledScores: Sendable, Equatable {
    /// One score per resampled point.
    public var scores: [Float]
    /// For each resampled point, the input point whose label it carries (the nearer end of its
    /// segment for a made point, as `interpolation_points_with_gt_colors`; itself when kept).
    public var labelSources: [Int]

    public init(scores: [Float], labelSources: [Int]) {
        self.scores = scores
        self.labelSources = labelSources
    }

    /// The input points' labels carried to the resampled points; throws when the two do not fit.
    public func labels(from inputLabels: [UInt8]) throws -> [UInt8] {
        guard scores.count == labelSources.count else {
            throw UsageError("\(scores.count) resampled scores but \(labelSources.count) label sources")
        }
        if let bad = labelSources.first(where: { $0 < 0 || $0 >= inputLabels.count }) {
            throw UsageError("a resampled point takes its label from point \(bad), outside the \(inputLabels.count) input points")
        }
        return labelSources.map { inputLabels[$0] }
    }
}
