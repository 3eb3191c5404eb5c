import Foundation

/// Closed-form eigen-analysis of a symmetric 3×3 matrix (the trigonometric solution of the
/// characteristic cubic, eigenvectors from cross products of the rows of A − λI), in double.
/// Far cheaper than a LAPACK call per point; the tests check it against LAPACK's dsyev.
struct SymmetricEigen3 {
    /// Unit eigenvector of the smallest eigenvalue of [[a00 a01 a02] [a01 a11 a12] [a02 a12 a22]].
    /// For a fully isotropic matrix every direction qualifies; (0, 0, 1) is returned.
    static func smallestEigenvector(_ a00: Double, _ a01: Double, _ a02: Double, _ a11: Double, _ a12: Double, _ a22: Double) -> SIMD3<Double> {
        // Scale to unit magnitude so the cubic's terms stay well conditioned.
        let scale = max(abs(a00), abs(a01), abs(a02), abs(a11), abs(a12), abs(a22))
        guard scale > 0 else { return SIMD3(0, 0, 1) }
        let m00 = a00 / scale, m01 = a01 / scale, m02 = a02 / scale, m11 = a11 / scale, m12 = a12 / scale, m22 = a22 / scale
        let q = (m00 + m11 + m22) / 3
        let b00 = m00 - q, b11 = m11 - q, b22 = m22 - q
        let p2 = (b00 * b00 + b11 * b11 + b22 * b22 + 2 * (m01 * m01 + m02 * m02 + m12 * m12)) / 6
        guard p2 > 1e-30 else { return SIMD3(0, 0, 1) }
        let p = p2.squareRoot()
        let det = b00 * (b11 * b22 - m12 * m12) - m01 * (m01 * b22 - m12 * m02) + m02 * (m01 * m12 - b11 * m02)
        let r = min(max(det / (2 * p2 * p), -1), 1)
        let phi = acos(r) / 3
        // Eigenvalues q + 2p·cos(φ + 2πk/3); k = 1 gives the smallest.
        let smallest = q + 2 * p * cos(phi + 2 * Double.pi / 3)
        let largest = q + 2 * p * cos(phi)
        if let v = eigenvector(m00, m01, m02, m11, m12, m22, smallest) { return v }
        // The smallest eigenvalue is double (points on a line): any unit vector orthogonal to
        // the largest eigenvector is an eigenvector.
        guard let axis = eigenvector(m00, m01, m02, m11, m12, m22, largest) else { return SIMD3(0, 0, 1) }
        let helper: SIMD3<Double> = abs(axis.x) < 0.9 ? SIMD3(1, 0, 0) : SIMD3(0, 1, 0)
        let v = cross(axis, helper)
        return v / (v * v).sum().squareRoot()
    }

    /// The null vector of A − λI from the largest cross product of its rows; nil when the rows
    /// span less than a plane (λ repeated).
    private static func eigenvector(_ m00: Double, _ m01: Double, _ m02: Double, _ m11: Double, _ m12: Double, _ m22: Double, _ lambda: Double) -> SIMD3<Double>? {
        let r0 = SIMD3(m00 - lambda, m01, m02), r1 = SIMD3(m01, m11 - lambda, m12), r2 = SIMD3(m02, m12, m22 - lambda)
        let c01 = cross(r0, r1), c02 = cross(r0, r2), c12 = cross(r1, r2)
        let d01 = (c01 * c01).sum(), d02 = (c02 * c02).sum(), d12 = (c12 * c12).sum()
        let best = d01 >= d02 && d01 >= d12 ? c01 : (d02 >= d12 ? c02 : c12)
        let norm2 = max(d01, d02, d12)
        guard norm2 > 1e-24 else { return nil }
        return best / norm2.squareRoot()
    }

    private static func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
    }
}
