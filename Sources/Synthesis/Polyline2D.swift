/// A 2-D polyline with point-to-curve distance.
struct Polyline2D {
    let points: [SIMD2<Float>]

    /// The largest distance of a vertex from the origin (bounds the region a crack can touch).
    var reach: Float { points.map { ($0 * $0).sum().squareRoot() }.max() ?? 0 }

    func distance(to q: SIMD2<Float>) -> Float {
        var best = Float.infinity
        for k in 1..<points.count {
            let a = points[k - 1], ab = points[k] - a
            let t = max(0, min(1, ((q - a) * ab).sum() / max((ab * ab).sum(), 1e-12)))
            let d = q - (a + ab * t)
            best = min(best, (d * d).sum())
        }
        return best.squareRoot()
    }
}
