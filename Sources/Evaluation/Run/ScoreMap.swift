/// A detector's anomaly map on a grid (row-major, background cells included), for the evaluation
/// protocols that count every pixel.
public struct ScoreMap: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var values: [Float]

    public init(width: Int, height: Int, values: [Float]) {
        precondition(values.count == width * height, "\(values.count) map values for \(width)×\(height)")
        self.width = width
        self.height = height
        self.values = values
    }
}
