import Dispatch
import Foundation

extension PointCloud {
    /// Normals by PCA as Open3D's `estimate_normals(KDTreeSearchParamHybrid(radius, max_nn))`:
    /// for each point, its up-to-`maxNeighbors` nearest points within `radius` (itself included);
    /// the normal is the covariance's smallest eigenvector. Fewer than 3 neighbours give (0, 0, 1),
    /// as in Open3D. Signs are arbitrary unless `viewpoint` is given, then each normal points
    /// towards it. PointAD uses radius 0.1 / 30–50 neighbours (MVTec, metres), 0.8 / 30 (Real3D).
    ///
    /// Exact duplicates are searched once: each distinct point is counted as often as it is repeated,
    /// up to `maxNeighbors` in all, which is the covariance Open3D computes over the copies (so a
    /// nearest-resized scan's normals equal the reference's), without a search per copy. Every copy
    /// gets the normal of its place. A neighbourhood with no spread (all its points at one place,
    /// e.g. a point repeated more than `maxNeighbors` times) gets (0, 0, 1), like one with fewer than 3.
    ///
    /// `reuseReach` false searches each point unbounded by its predecessor's reach: the same normals
    /// bit for bit, slower; kept for the benchmark's before/after and the identity tests.
    public func estimatedNormals(radius: Float, maxNeighbors: Int, viewpoint: SIMD3<Float>? = nil, threads: Int = 0, reuseReach: Bool = true) -> [SIMD3<Float>] {
        if let merged = DuplicatePoints(positions) {
            let normals = Self.countedNormals(merged, radius: radius, maxNeighbors: maxNeighbors, viewpoint: viewpoint, threads: threads, reuseReach: reuseReach)
            return merged.representative.map { normals[Int($0)] }
        }
        return Self.searchedNormals(positions, radius: radius, maxNeighbors: maxNeighbors, viewpoint: viewpoint, threads: threads, reuseReach: reuseReach) { p, indices, _, found in
            Self.pcaNormal(p, indices, found)
        }
    }

    /// Each point's normal from its up-to-`k` nearest within `radius` (`normal` reduces one search's
    /// result; nil gives (0, 0, 1)), oriented towards `viewpoint` when given. Each worker searches
    /// and reduces one point at a time (queries in tree order for cache locality), so memory stays
    /// O(k) per worker instead of a table of N·k neighbours. Each search is bounded by the previous
    /// query's reach (`KNearestReach`), which leaves its neighbour list unchanged.
    static func searchedNormals(
        _ points: [SIMD3<Float>], radius: Float, maxNeighbors k: Int, viewpoint: SIMD3<Float>?, threads: Int, reuseReach: Bool = true,
        normal: @escaping (UnsafePointer<SIMD3<Float>>, UnsafePointer<Int32>, UnsafePointer<Float>, Int) -> SIMD3<Float>?
    ) -> [SIMD3<Float>] {
        let n = points.count
        var normals = [SIMD3<Float>](repeating: SIMD3(0, 0, 1), count: n)
        guard k >= 3, n > 0 else { return normals }
        let tree = KDTree(points, threads: threads)
        let workers = threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount
        let chunks = n < 4096 ? 1 : workers * 8
        let bound = radius.isFinite ? radius * radius : Float.infinity
        points.withUnsafeBufferPointer { points in
            normals.withUnsafeMutableBufferPointer { out in
                let shared = UncheckedBox((points.baseAddress!, out.baseAddress!, tree))
                let reduce = UncheckedBox(normal)  // boxed apart: a closure inside the tuple crashes swiftc 6.3's SIL checker
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    let (p, o, tree) = shared.value
                    let normal = reduce.value
                    let indices = UnsafeMutablePointer<Int32>.allocate(capacity: k)
                    let distances = UnsafeMutablePointer<Float>.allocate(capacity: k)
                    defer { indices.deallocate(); distances.deallocate() }
                    var reach = KNearestReach(enabled: reuseReach)
                    for position in (n * c / chunks)..<(n * (c + 1) / chunks) {
                        let i = Int(tree.ids[position])
                        let found = tree.search(p[i], k: k, bound: reach.bound(for: p[i], within: bound), indices: indices, distances: distances)
                        reach.record(p[i], found: found, k: k, kth: found > 0 ? distances[found - 1] : .infinity)
                        o[i] = normal(p, indices, distances, found) ?? SIMD3(0, 0, 1)
                        if let viewpoint, ((viewpoint - p[i]) * o[i]).sum() < 0 { o[i] = -o[i] }
                    }
                }
            }
        }
        return normals
    }

    /// Normals of the distinct points of `merged`, each neighbourhood counting a point as often as
    /// the cloud repeats it, up to `maxNeighbors` in all: the same covariance as Open3D's search over
    /// the copies (a nearest-resized scan repeats most cells), with one search per distinct point,
    /// so thousands of copies cost nothing extra. A neighbourhood with no spread gets (0, 0, 1).
    static func countedNormals(_ merged: DuplicatePoints, radius: Float, maxNeighbors k: Int, viewpoint: SIMD3<Float>?, threads: Int, reuseReach: Bool = true) -> [SIMD3<Float>] {
        let unique = merged.unique, n = unique.count
        var copies = [Int](repeating: 0, count: n)
        for r in merged.representative { copies[Int(r)] += 1 }
        return searchedNormals(unique, radius: radius, maxNeighbors: k, viewpoint: viewpoint, threads: threads, reuseReach: reuseReach) { p, indices, distances, found in
            // Nearest first, so the copies that fit in k are those of the nearest points.
            let order = (0..<found).sorted { distances[$0] != distances[$1] ? distances[$0] < distances[$1] : indices[$0] < indices[$1] }
            var left = k
            var members: [(point: SIMD3<Float>, weight: Double)] = []
            for j in order where left > 0 {
                let w = min(copies[Int(indices[j])], left)
                left -= w
                members.append((p[Int(indices[j])], Double(w)))
            }
            return weightedPCANormal(members)
        }
    }

    /// `pcaNormal` with each point counted `weight` times; nil under 3 in all or with no spread.
    static func weightedPCANormal(_ members: [(point: SIMD3<Float>, weight: Double)]) -> SIMD3<Float>? {
        let total = members.reduce(0) { $0 + $1.weight }
        guard total >= 3, let first = members.first else { return nil }
        let origin = SIMD3<Double>(first.point)
        var s = SIMD3<Double>.zero
        var sxx = 0.0, sxy = 0.0, sxz = 0.0, syy = 0.0, syz = 0.0, szz = 0.0
        for (point, w) in members {
            let d = SIMD3<Double>(point) - origin
            s += w * d
            sxx += w * d.x * d.x; sxy += w * d.x * d.y; sxz += w * d.x * d.z
            syy += w * d.y * d.y; syz += w * d.y * d.z; szz += w * d.z * d.z
        }
        let inv = 1 / total
        let mean = s * inv
        let xx = sxx * inv - mean.x * mean.x, yy = syy * inv - mean.y * mean.y, zz = szz * inv - mean.z * mean.z
        guard xx + yy + zz > 0 else { return nil }
        let v = SymmetricEigen3.smallestEigenvector(
            xx, sxy * inv - mean.x * mean.y, sxz * inv - mean.x * mean.z,
            yy, syz * inv - mean.y * mean.z, zz)
        return SIMD3<Float>(v)
    }

    /// The covariance's smallest eigenvector over the first `m` listed neighbours, accumulated in
    /// double around the first point to keep the sums well conditioned; nil for fewer than 3.
    static func pcaNormal(_ points: UnsafePointer<SIMD3<Float>>, _ neighbors: UnsafePointer<Int32>, _ m: Int) -> SIMD3<Float>? {
        guard m >= 3 else { return nil }
        let origin = SIMD3<Double>(points[Int(neighbors[0])])
        var s = SIMD3<Double>.zero
        var sxx = 0.0, sxy = 0.0, sxz = 0.0, syy = 0.0, syz = 0.0, szz = 0.0
        for j in 0..<m {
            let d = SIMD3<Double>(points[Int(neighbors[j])]) - origin
            s += d
            sxx += d.x * d.x; sxy += d.x * d.y; sxz += d.x * d.z
            syy += d.y * d.y; syz += d.y * d.z; szz += d.z * d.z
        }
        let inv = 1 / Double(m)
        let mean = s * inv
        let v = SymmetricEigen3.smallestEigenvector(
            sxx * inv - mean.x * mean.x, sxy * inv - mean.x * mean.y, sxz * inv - mean.x * mean.z,
            syy * inv - mean.y * mean.y, syz * inv - mean.y * mean.z, szz * inv - mean.z * mean.z)
        return SIMD3<Float>(v)
    }
}
