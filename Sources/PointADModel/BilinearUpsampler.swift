/// Bilinear resampling of a square `source × source` grid to `target × target`, with exactly the
/// index and weight arithmetic of PyTorch's `F.interpolate(mode="bilinear")` on the CPU (float
/// math, source index clamped at 0, right neighbour clamped at the edge).
///
/// PointAD upsamples its 24×24 patch maps to 336×336 with `align_corners=False` (dossier §4.5).
/// A point only ever reads one pixel of the upsampled map, so `sample` and `corners` give that
/// pixel straight from the grid: full-size maps (and full-size feature maps) are never needed
/// for scoring.
public struct BilinearUpsampler: Sendable, Equatable {
    public let source: Int
    public let target: Int
    public let alignCorners: Bool
    /// Per output coordinate: the lower source index, the upper one, and the upper one's weight.
    @usableFromInline let lower: [Int32]
    @usableFromInline let upper: [Int32]
    @usableFromInline let upperWeight: [Float]

    public init(source: Int, target: Int, alignCorners: Bool = false) {
        precondition(source > 0 && target > 0, "bilinear upsampler \(source) → \(target)")
        self.source = source
        self.target = target
        self.alignCorners = alignCorners
        // torch: area_pixel_compute_scale / area_pixel_compute_source_index, in float.
        let scale: Float = alignCorners
            ? (target > 1 ? Float(source - 1) / Float(target - 1) : 0)
            : Float(source) / Float(target)
        var lower = [Int32](), upper = [Int32](), weight = [Float]()
        for o in 0..<target {
            var s = alignCorners ? scale * Float(o) : scale * (Float(o) + 0.5) - 0.5
            if s < 0 { s = 0 }
            let i0 = Int(s)
            let i1 = i0 < source - 1 ? i0 + 1 : i0
            lower.append(Int32(i0))
            upper.append(Int32(i1))
            weight.append(s - Float(i0))
        }
        self.lower = lower
        self.upper = upper
        self.upperWeight = weight
    }

    /// The four source cells (row-major indices into the grid) and their weights that make output
    /// pixel (x, y) — column x, row y. Order: (y0,x0), (y0,x1), (y1,x0), (y1,x1).
    @inlinable
    public func corners(x: Int, y: Int) -> (indices: SIMD4<Int32>, weights: SIMD4<Float>) {
        let y0 = lower[y], y1 = upper[y], x0 = lower[x], x1 = upper[x]
        let ly = upperWeight[y], lx = upperWeight[x]
        let s = Int32(source)
        return (SIMD4(y0 * s + x0, y0 * s + x1, y1 * s + x0, y1 * s + x1),
                SIMD4((1 - ly) * (1 - lx), (1 - ly) * lx, ly * (1 - lx), ly * lx))
    }

    /// Output pixel (x, y) of the upsampled grid, computed from the grid alone, in torch's order of
    /// operations: h0λ·(w0λ·a + w1λ·b) + h1λ·(w0λ·c + w1λ·d).
    @inlinable
    public func sample(_ grid: UnsafePointer<Float>, x: Int, y: Int) -> Float {
        let y0 = Int(lower[y]), y1 = Int(upper[y]), x0 = Int(lower[x]), x1 = Int(upper[x])
        let ly = upperWeight[y], lx = upperWeight[x]
        let r0 = grid + y0 * source, r1 = grid + y1 * source
        return (1 - ly) * ((1 - lx) * r0[x0] + lx * r0[x1]) + ly * ((1 - lx) * r1[x0] + lx * r1[x1])
    }

    /// The whole upsampled map, `target × target` row-major.
    public func upsample(_ grid: [Float]) -> [Float] {
        precondition(grid.count == source * source, "grid of \(grid.count) values for side \(source)")
        var out = [Float](repeating: 0, count: target * target)
        grid.withUnsafeBufferPointer { g in
            out.withUnsafeMutableBufferPointer { o in
                let src = g.baseAddress!, dst = o.baseAddress!
                for y in 0..<target {
                    for x in 0..<target { dst[y * target + x] = sample(src, x: x, y: y) }
                }
            }
        }
        return out
    }
}
