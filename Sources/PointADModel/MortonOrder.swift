/// A space-filling-curve order of 3-D points: sorting by interleaved coordinate bits (Morton /
/// z-order) puts points that are close in space mostly close in the order, so per-point work over
/// neighbourhoods touches memory that the previous points just brought into cache.
public enum MortonOrder {
    /// Point indices sorted by their 30-bit Morton code (10 bits per axis over the bounding box).
    public static func permutation(_ positions: [SIMD3<Float>]) -> [Int] {
        guard var lo = positions.first else { return [] }
        var hi = lo
        for p in positions { lo = pointwiseMin(lo, p); hi = pointwiseMax(hi, p) }
        let extent = hi - lo
        let scale = 1023 / max(max(extent.x, extent.y), max(extent.z, Float.leastNormalMagnitude))
        var keyed = [(UInt32, Int32)]()
        keyed.reserveCapacity(positions.count)
        for (i, p) in positions.enumerated() {
            let q = (p - lo) * scale
            let code = spread(UInt32(min(max(q.x, 0), 1023))) | spread(UInt32(min(max(q.y, 0), 1023))) << 1
                | spread(UInt32(min(max(q.z, 0), 1023))) << 2
            keyed.append((code, Int32(i)))
        }
        keyed.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        return keyed.map { Int($0.1) }
    }

    /// The low 10 bits of `v` spread out to every third bit.
    static func spread(_ v: UInt32) -> UInt32 {
        var x = v & 0x3FF
        x = (x | (x << 16)) & 0x030000FF
        x = (x | (x << 8)) & 0x0300F00F
        x = (x | (x << 4)) & 0x030C30C3
        x = (x | (x << 2)) & 0x09249249
        return x
    }
}
