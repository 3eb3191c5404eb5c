/// Cumulative triangle areas, for drawing points uniformly over a surface: a uniform number in
/// [0, 1) picks a triangle with probability proportional to its area (binary search), and two more
/// pick a uniform point inside it. Shared by mesh scoring and the synthetic data generator.
public struct TriangleAreaTable: Sendable {
    /// Running sum of twice the triangle areas (|AB × AC|), in triangle order.
    public let cumulative: [Double]

    public init(vertices: [SIMD3<Float>], triangles: [SIMD3<Int32>]) {
        var sums = [Double](repeating: 0, count: triangles.count)
        var total: Double = 0
        for (i, t) in triangles.enumerated() {
            let a = vertices[Int(t.x)]
            total += Double(Self.doubledArea(a, vertices[Int(t.y)], vertices[Int(t.z)]))
            sums[i] = total
        }
        cumulative = sums
    }

    /// Twice the total area (0 for a mesh with no or only degenerate triangles).
    public var doubledTotal: Double { cumulative.last ?? 0 }
    /// Total surface area.
    public var total: Double { doubledTotal / 2 }

    /// The triangle a uniform `u` in [0, 1) lands on, area-weighted.
    public func triangle(at u: Float) -> Int {
        let target = Double(u) * doubledTotal
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > target { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// Barycentric weights of a uniform point in a triangle from two uniform numbers in [0, 1)
    /// (the square folded onto the triangle).
    public static func barycentric(_ u1: Float, _ u2: Float) -> SIMD3<Float> {
        var (r1, r2) = (u1, u2)
        if r1 + r2 > 1 { (r1, r2) = (1 - r1, 1 - r2) }
        return SIMD3(1 - r1 - r2, r1, r2)
    }

    /// |AB × AC|.
    @inline(__always) static func doubledArea(_ a: SIMD3<Float>, _ b: SIMD3<Float>, _ c: SIMD3<Float>) -> Float {
        let u = b - a, v = c - a
        let n = SIMD3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
        return (n * n).sum().squareRoot()
    }
}
