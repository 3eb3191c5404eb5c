/// Vectorisable float math. libm calls stop LLVM from vectorising loops (SWIFT-NOTES §2.3), so the
/// hot kernels use these branch-free, trap-free versions.
public enum FastMath {
    /// e^x, Cephes `expf` polynomial, relative error ≤ 2e-7 on [-87, 88]; saturates outside.
    @inlinable @inline(__always)
    public static func exp(_ value: Float) -> Float {
        let x = min(max(value, -87.3), 88.3)
        let fx = x * 1.44269504088896341
        // Round to nearest without a trapping Int conversion: add 1.5·2^23 and read the bits.
        let shifted = fx + 12582912.0
        let n = Int32(bitPattern: shifted.bitPattern) &- 0x4B40_0000
        let nf = shifted - 12582912.0
        var r = x - nf * 0.693359375
        r = r - nf * -2.12194440e-4
        var p: Float = 1.9875691500e-4
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        let y = p * r * r + r + 1
        let scale = Float(bitPattern: UInt32(bitPattern: (n &+ 127) &<< 23))
        return y * scale
    }

    /// erf(x), Abramowitz–Stegun 7.1.26, absolute error ≤ 1.5e-7.
    @inlinable @inline(__always)
    public static func erf(_ x: Float) -> Float {
        let a = abs(x)
        let t = 1 / (1 + 0.3275911 * a)
        let poly = ((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592
        let y = 1 - poly * t * exp(-a * a)
        return x < 0 ? -y : y
    }

    /// tanh(x) through exp, accurate to ~3e-7 absolute.
    @inlinable @inline(__always)
    public static func tanh(_ x: Float) -> Float {
        let e = exp(-2 * abs(x))
        let y = (1 - e) / (1 + e)
        return x < 0 ? -y : y
    }
}
