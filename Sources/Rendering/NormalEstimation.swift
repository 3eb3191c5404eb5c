import Foundation
import TensorCore

/// Normals by PCA over each point's k nearest neighbours (the point included): the eigenvector of
/// the smallest eigenvalue of the neighbourhood's covariance, as Open3D's `estimate_normals`. Their
/// sign is arbitrary (the shading flips normals toward the viewer). Where the neighbourhood has no
/// plane (one point, identical or collinear points) the normal is (0, 0, 0), which the shading
/// lights as facing the light.
public enum NormalEstimation {
    public static func estimate(_ positions: [SIMD3<Float>], neighbours: Int = 30) throws -> [SIMD3<Float>] {
        let grid = NeighbourGrid(positions)
        let k = max(3, min(neighbours, positions.count))
        var normals = [SIMD3<Float>](repeating: .zero, count: positions.count)
        let lock = NSLock()
        Parallel.forChunks(positions.count, costPerItem: 64 * k) { range in
            var local = [SIMD3<Float>]()
            local.reserveCapacity(range.count)
            for i in range {
                let found = grid.nearest(positions[i], k: k)
                local.append(normal(of: found.map { positions[$0.index] }))
            }
            lock.lock()
            normals.replaceSubrange(range, with: local)
            lock.unlock()
        }
        return normals
    }

    /// The PCA normal of a neighbourhood; zero when it spans no plane.
    static func normal(of points: [SIMD3<Float>]) -> SIMD3<Float> {
        guard points.count >= 3 else { return .zero }
        var mean = SIMD3<Double>.zero
        for p in points { mean += SIMD3<Double>(p) }
        mean /= Double(points.count)
        var xx = 0.0, xy = 0.0, xz = 0.0, yy = 0.0, yz = 0.0, zz = 0.0
        for p in points {
            let d = SIMD3<Double>(p) - mean
            xx += d.x * d.x; xy += d.x * d.y; xz += d.x * d.z
            yy += d.y * d.y; yz += d.y * d.z; zz += d.z * d.z
        }
        return SIMD3<Float>(SymmetricEigen3.smallestEigenvector(xx, xy, xz, yy, yz, zz))
    }
}

/// The eigenvector of the smallest eigenvalue of a symmetric 3×3 matrix, in closed form
/// (trigonometric eigenvalues, then the largest cross product of two rows of A − λI).
enum SymmetricEigen3 {
    static func smallestEigenvector(_ a: Double, _ b: Double, _ c: Double, _ d: Double, _ e: Double, _ f: Double) -> SIMD3<Double> {
        // Matrix [[a b c] [b d e] [c e f]], scaled to unit size so thresholds are relative.
        let scale = max(abs(a), abs(b), abs(c), abs(d), abs(e), abs(f))
        guard scale > 0, scale.isFinite else { return .zero }
        let (a, b, c, d, e, f) = (a / scale, b / scale, c / scale, d / scale, e / scale, f / scale)
        let q = (a + d + f) / 3
        let p1 = b * b + c * c + e * e
        let p2 = (a - q) * (a - q) + (d - q) * (d - q) + (f - q) * (f - q) + 2 * p1
        let p = (p2 / 6).squareRoot()
        guard p > 1e-12 else { return .zero }           // A = q·I: every direction is an eigenvector
        // B = (A − qI)/p; det(B)/2 = cos(3φ).
        let (ba, bb, bc, bd, be, bf) = ((a - q) / p, b / p, c / p, (d - q) / p, e / p, (f - q) / p)
        let det = ba * (bd * bf - be * be) - bb * (bb * bf - be * bc) + bc * (bb * be - bd * bc)
        let phi = acos(min(1, max(-1, det / 2))) / 3
        let largest = q + 2 * p * cos(phi), smallest = q + 2 * p * cos(phi + 2 * .pi / 3)
        let middle = 3 * q - largest - smallest
        // Two (near-)equal smallest eigenvalues: the points are collinear and span no plane. (acos
        // near ±1 costs ~1e-8 of accuracy, so the threshold sits well above that.)
        guard middle - smallest > 1e-6 * max(largest, 1e-300) else { return .zero }
        let rows = (SIMD3(a - smallest, b, c), SIMD3(b, d - smallest, e), SIMD3(c, e, f - smallest))
        let candidates = [cross(rows.0, rows.1), cross(rows.0, rows.2), cross(rows.1, rows.2)]
        let bestCandidate = candidates.max { length2($0) < length2($1) }!
        let norm = length2(bestCandidate).squareRoot()
        guard norm > 1e-12 else { return .zero }
        return bestCandidate / norm
    }

    private static func cross(_ u: SIMD3<Double>, _ v: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
    }

    private static func length2(_ v: SIMD3<Double>) -> Double { (v * v).sum() }
}
