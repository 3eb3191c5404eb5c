import Dispatch
import Foundation

extension PointCloud {
    /// Normals by PCA as Open3D's `estimate_normals(KDTreeSearchParamHybrid(radius, max_nn))`:
    /// for each point, its up-to-`maxNeighbors` nearest points within `radius` (itself included);
    /// the normal is the covariance's smallest eigenvector. Fewer than 3 neighbours give (0, 0, 1),
    /// as in Open3D. Signs are arbitrary unless `viewpoint` is given, then each normal points
    /// towards it. PointAD uses radius 0.1 / 30–50 neighbours (MVTec, metres), 0.8 / 30 (Real3D).
    ///
    /// Exact duplicates are merged first (the normal is a property of the surface, not of how often
    /// a scanner repeated a point): otherwise a point copied k times has only copies of itself as
    /// neighbours and no normal. Every copy gets the normal of the merged point. A neighbourhood
    /// with no spread (all its points at one place, e.g. a cloud of one repeated point) gets
    /// (0, 0, 1), like one with fewer than 3 points.
    public func estimatedNormals(radius: Float, maxNeighbors: Int, viewpoint: SIMD3<Float>? = nil, threads: Int = 0) -> [SIMD3<Float>] {
        if let merged = DuplicatePoints(positions) {
            let normals = PointCloud(positions: merged.unique)
                .estimatedNormals(radius: radius, maxNeighbors: maxNeighbors, viewpoint: viewpoint, threads: threads)
            return merged.representative.map { normals[Int($0)] }
        }
        let tree = KDTree(positions, threads: threads)
        var normals = [SIMD3<Float>](repeating: SIMD3(0, 0, 1), count: count)
        guard maxNeighbors >= 3, count > 0 else { return normals }
        let workers = threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount
        let chunks = count < 4096 ? 1 : workers * 8
        let n = count, k = maxNeighbors
        let bound = radius.isFinite ? radius * radius : Float.infinity
        // Each worker searches and reduces one point at a time (queries in tree order for cache
        // locality), so memory stays O(k) per worker instead of a table of N·k neighbours.
        positions.withUnsafeBufferPointer { points in
            normals.withUnsafeMutableBufferPointer { out in
                let shared = UncheckedBox((points.baseAddress!, out.baseAddress!, tree))
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    let (p, o, tree) = shared.value
                    let indices = UnsafeMutablePointer<Int32>.allocate(capacity: k)
                    let distances = UnsafeMutablePointer<Float>.allocate(capacity: k)
                    defer { indices.deallocate(); distances.deallocate() }
                    for position in (n * c / chunks)..<(n * (c + 1) / chunks) {
                        let i = Int(tree.ids[position])
                        let found = tree.search(p[i], k: k, bound: bound, indices: indices, distances: distances)
                        o[i] = Self.pcaNormal(p, indices, found) ?? SIMD3(0, 0, 1)
                        if let viewpoint, ((viewpoint - p[i]) * o[i]).sum() < 0 { o[i] = -o[i] }
                    }
                }
            }
        }
        return normals
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
