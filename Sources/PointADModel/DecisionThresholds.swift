/// The thresholds that turn scores into decisions. A part is anomalous when its object score is
/// above `object`; a point is a defect when its score is above `point`. A score equal to the
/// threshold passes, so a threshold picked as a known-good score never flags that part.
public struct DecisionThresholds: Sendable, Codable, Equatable {
    public var object: Float?
    public var point: Float?
    /// Where they came from: "--threshold" or the calibration file's path.
    public var source: String

    public init(object: Float? = nil, point: Float? = nil, source: String) {
        self.object = object
        self.point = point
        self.source = source
    }

    public func isAnomalous(_ score: Float) -> Bool? { object.map { score > $0 } }

    /// 1 for points above the point threshold, else 0; nil without one.
    public func defects(_ scores: [Float]) -> [Float]? {
        point.map { t in scores.map { $0 > t ? 1 : 0 } }
    }
}
