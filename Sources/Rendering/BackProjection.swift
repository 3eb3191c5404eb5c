import PointADSupport
import PointClouds

/// What a point seen by no view gets (the reference must give it something: it divides by the
/// number of views that see the point).
public enum UnseenPoints: Sendable, Equatable {
    /// The score of the spatially nearest point that some view sees (the default: on an
    /// unorganised cloud, index order says nothing about where points are).
    case nearestSeenPoint
    /// The reference (`generate_is_seen_for_point_in_each_view`, dossier §3.2): take the per-view
    /// visibility flags of the nearest seen point in index order (ties: the larger index; the order
    /// wraps around) and average the point's *own* pixels over those views. With `grid`, indices are
    /// the points' pixels on the organised grid (the reference's flattened 336² order), else point order.
    case nearestSeenIndex(grid: OrganizedGrid?)
}

/// Per-view pixel maps back to the points (dossier §3.3).
public enum BackProjection {
    /// Each point's score: the mean of `maps[k]` at its pixel over the views `k` that see it.
    /// `maps[k]` is row-major `size`×`size` for `projections[k]`. `positions` are needed by
    /// `.nearestSeenPoint`. If no view sees any point, every score is 0.
    public static func pointScores(maps: [[Float]], projections: [ViewProjection], positions: [SIMD3<Float>]? = nil,
                                   unseen: UnseenPoints = .nearestSeenPoint) throws -> [Float] {
        guard maps.count == projections.count, let first = projections.first else {
            throw UsageError("back-projection needs one map per view: \(maps.count) maps for \(projections.count) views")
        }
        let n = first.count, size = first.size
        for (k, (map, projection)) in zip(maps, projections).enumerated() {
            guard projection.count == n, projection.size == size else {
                throw UsageError("view \(k) projects \(projection.count) points on \(projection.size)², view 0 \(n) on \(size)²")
            }
            guard map.count == size * size else { throw UsageError("map \(k) has \(map.count) values, expected \(size)×\(size)") }
        }
        var sums = [Float](repeating: 0, count: n), seen = [Int32](repeating: 0, count: n)
        for (map, projection) in zip(maps, projections) {
            for i in 0..<n where projection.visible[i] {
                sums[i] += map[Int(projection.pixels[i])]
                seen[i] += 1
            }
        }
        var scores = [Float](repeating: 0, count: n)
        for i in 0..<n where seen[i] > 0 { scores[i] = sums[i] / Float(seen[i]) }
        let unseenIndices = (0..<n).filter { seen[$0] == 0 }
        guard !unseenIndices.isEmpty, unseenIndices.count < n else { return scores }

        switch unseen {
        case .nearestSeenPoint:
            guard let positions, positions.count == n else {
                throw UsageError("nearest-seen-point back-projection needs the \(n) point positions")
            }
            let seenIndices = (0..<n).filter { seen[$0] > 0 }
            let tree = KDTree(seenIndices.map { positions[$0] })
            for i in unseenIndices {
                if let nearest = tree.nearest(to: positions[i], k: 1).first { scores[i] = scores[seenIndices[nearest.index]] }
            }
        case let .nearestSeenIndex(grid):
            let keys: [Int], period: Int
            if let grid {
                guard grid.pixelIndices.count == n else {
                    throw UsageError("organised grid lists \(grid.pixelIndices.count) points, the views \(n)")
                }
                keys = grid.pixelIndices
                period = grid.width * grid.height
            } else {
                keys = Array(0..<n)
                period = n
            }
            let donors = nearestSeenInIndexOrder(seen: seen.map { $0 > 0 }, keys: keys, period: period)
            for i in unseenIndices {
                let donor = donors[i]
                var sum: Float = 0, count: Float = 0
                for (map, projection) in zip(maps, projections) where projection.visible[donor] {
                    sum += map[Int(projection.pixels[i])]
                    count += 1
                }
                scores[i] = sum / count
            }
        }
        return scores
    }

    /// For every point, the seen point nearest in cyclic key order (keys ascending with the point
    /// index; distance measured modulo `period`), the later one on ties.
    static func nearestSeenInIndexOrder(seen: [Bool], keys: [Int], period: Int) -> [Int] {
        let n = seen.count
        var forward = [Int](repeating: -1, count: n), backward = [Int](repeating: -1, count: n)
        // Two sweeps over the doubled sequence fill the next seen point after and before each index.
        var next = -1
        for step in stride(from: 2 * n - 1, through: 0, by: -1) {
            let i = step % n
            if step < n { forward[i] = next }
            if seen[i] { next = i }
        }
        var previous = -1
        for step in 0..<(2 * n) {
            let i = step % n
            if step >= n { backward[i] = previous }
            if seen[i] { previous = i }
        }
        return (0..<n).map { i in
            if seen[i] { return i }
            let after = forward[i], before = backward[i]
            let dAfter = ((keys[after] - keys[i]) % period + period) % period
            let dBefore = ((keys[i] - keys[before]) % period + period) % period
            return dAfter <= dBefore ? after : before
        }
    }
}
