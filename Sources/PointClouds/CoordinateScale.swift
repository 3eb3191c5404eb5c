/// Clouds whose coordinates sit near float32's limits break every stage that squares a distance or
/// spans the cloud: (1e20)² already overflows, and 3e38 − (−3e38) is infinite, which used to give
/// NaN scores (PointAD+ at 1e30) or blank renders and all-zero scores (3e38) without a word.
///
/// Such clouds are multiplied by a power of two, which is exact: every coordinate keeps its bits
/// apart from the exponent, so the shape, the neighbours and the normals are unchanged while the
/// largest magnitude lands in [1, 2). Ordinary clouds (largest |coordinate| within 2^±40, i.e.
/// about 1e-12 … 1e12 units) are left alone, so their results do not move by a single bit.
public enum CoordinateScale {
    /// Outside 2^-limitExponent … 2^limitExponent the cloud is rescaled.
    static let limitExponent = 40

    /// The power of two to multiply the positions by (1 for ordinary clouds, and for a cloud whose
    /// points are all at the origin).
    public static func factor(for positions: [SIMD3<Float>]) -> Float {
        var largest: Float = 0
        for p in positions {
            let m = max(abs(p.x), abs(p.y), abs(p.z))
            if m > largest { largest = m }
        }
        guard largest > 0, largest.isFinite else { return 1 }
        let exponent = Int(largest.exponent)
        guard abs(exponent) > limitExponent else { return 1 }
        // 2^-exponent: at most 2^126 or as small as 2^-127 (a subnormal, still exactly a power of two).
        return Float(sign: .plus, exponent: -exponent, significand: 1)
    }

    /// `positions` multiplied by `factor(for:)`, and that factor.
    public static func rescaled(_ positions: [SIMD3<Float>]) -> (positions: [SIMD3<Float>], factor: Float) {
        let f = factor(for: positions)
        return f == 1 ? (positions, 1) : (positions.map { $0 * f }, f)
    }
}
