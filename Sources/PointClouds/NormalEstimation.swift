import Dispatch
import Foundation

extension PointCloud {
    /// Normals by PCA as Open3D's `estimate_normals(KDTreeSearchParamHybrid(radius, max_nn))`:
    /// for each point, its up-to-`maxNeighbors` nearest points within `radius` (itself included);
    /// the normal is the covariance's smallest eigenvector. Fewer than 3 neighbours give (0, 0, 1),
    /// as in Open3D. Signs are arbitrary unless `viewpoint` is given, then each normal points
    /// towards it. PointAD uses radius 0.1 / 30–50 neighbours (MVTec, metres), 0.8 / 30 (Real3D).
    public func estimatedNormals(radius: Float, maxNeighbors: Int, viewpoint: SIMD3<Float>? = nil, threads: Int = 0) -> [SIMD3<Float>] {
        let tree = KDTree(positions, threads: threads)
        let table = tree.neighborsOfAllPoints(k: maxNeighbors, radius: radius, threads: threads)
        var normals = [SIMD3<Float>](repeating: SIMD3(0, 0, 1), count: count)
        let workers = threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount
        let chunks = count < 4096 ? 1 : workers * 4
        let n = count
        positions.withUnsafeBufferPointer { points in
            normals.withUnsafeMutableBufferPointer { out in
                table.indices.withUnsafeBufferPointer { neighbors in
                    let shared = UncheckedBox((points.baseAddress!, out.baseAddress!, neighbors.baseAddress!))
                    let k = table.k
                    DispatchQueue.concurrentPerform(iterations: chunks) { c in
                        let (p, o, nb) = shared.value
                        for i in (n * c / chunks)..<(n * (c + 1) / chunks) {
                            o[i] = Self.pcaNormal(p, nb + i * k, k) ?? SIMD3(0, 0, 1)
                            if let viewpoint, ((viewpoint - p[i]) * o[i]).sum() < 0 { o[i] = -o[i] }
                        }
                    }
                }
            }
        }
        return normals
    }

    /// The covariance's smallest eigenvector over the listed neighbours (−1 entries end the list),
    /// accumulated in double around the first point to keep the sums well conditioned.
    static func pcaNormal(_ points: UnsafePointer<SIMD3<Float>>, _ neighbors: UnsafePointer<Int32>, _ k: Int) -> SIMD3<Float>? {
        var m = 0
        while m < k && neighbors[m] >= 0 { m += 1 }
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
