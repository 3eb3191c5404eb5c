/// A ground-truth mask on an organised scan's full grid (row-major, nonzero = anomalous), kept for
/// the protocols that evaluate pixels without a point too.
public struct GridMask: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var values: [UInt8]

    public init(width: Int, height: Int, values: [UInt8]) {
        precondition(values.count == width * height, "\(values.count) mask values for \(width)×\(height)")
        self.width = width
        self.height = height
        self.values = values
    }
}
