/// An axis-aligned box around points.
public struct BoundingBox: Sendable, Equatable {
    public var min: SIMD3<Float>
    public var max: SIMD3<Float>

    public init(min: SIMD3<Float>, max: SIMD3<Float>) {
        self.min = min
        self.max = max
    }

    /// The box around `points`; nil when there are none.
    public init?(_ points: [SIMD3<Float>]) {
        guard var lo = points.first else { return nil }
        var hi = lo
        for p in points {
            lo = pointwiseMin(lo, p)
            hi = pointwiseMax(hi, p)
        }
        self.init(min: lo, max: hi)
    }

    public var center: SIMD3<Float> { (min + max) / 2 }
    public var size: SIMD3<Float> { max - min }
    /// Length of the diagonal.
    public var diagonal: Float { let s = size; return (s * s).sum().squareRoot() }
}

extension PointCloud {
    /// The box around the positions; nil for an empty cloud.
    public var boundingBox: BoundingBox? { BoundingBox(positions) }
}
