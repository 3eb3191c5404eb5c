/// The distinct positions of a cloud with exact duplicates, and which of them each input point is.
/// Neighbour-based estimates (normals) are computed on the distinct points so that a point repeated
/// thousands of times neither fills its own neighbourhood with copies nor costs a search per copy.
struct DuplicatePoints {
    /// Distinct positions, in order of first appearance.
    let unique: [SIMD3<Float>]
    /// For every input point, its index in `unique`.
    let representative: [Int32]

    /// Nil when every position is distinct (the common case: nothing to merge). −0 and +0 are the same place.
    init?(_ positions: [SIMD3<Float>]) {
        var seen: [SIMD3<UInt32>: Int32] = [:]
        seen.reserveCapacity(positions.count)
        var unique: [SIMD3<Float>] = []
        var representative = [Int32](repeating: 0, count: positions.count)
        unique.reserveCapacity(positions.count)
        for (i, p) in positions.enumerated() {
            let q = p + SIMD3<Float>(repeating: 0)  // −0 + 0 = +0
            let key = SIMD3(q.x.bitPattern, q.y.bitPattern, q.z.bitPattern)
            if let index = seen[key] {
                representative[i] = index
            } else {
                let index = Int32(unique.count)
                seen[key] = index
                unique.append(q)
                representative[i] = index
            }
        }
        guard unique.count < positions.count else { return nil }
        self.unique = unique
        self.representative = representative
    }
}
