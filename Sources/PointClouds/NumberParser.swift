import Foundation

/// Parses decimal number tokens exactly as `strtod`/`strtof` would (correctly rounded), but fast:
/// tokens of ≤ 19 significant digits with a small exponent take Clinger's exact fast path
/// (an integer mantissa times or divided by an exact power of ten); anything else (long mantissas,
/// large exponents, nan/inf, hex) falls back to the C library on a NUL-terminated copy.
struct NumberParser {
    /// 10^0 … 10^22, all exact in a double.
    private let powersOfTen: [Double] = (0...22).map { e in var p = 1.0; for _ in 0..<e { p *= 10 }; return p }

    /// The token as a double, or nil if it is not a number.
    @inline(__always)
    func parseDouble(_ p: UnsafePointer<UInt8>, _ length: Int) -> Double? {
        if let v = fastPath(p, length) { return v }
        return slowPath(p, length, asFloat: false)
    }

    /// The token rounded once to float32 (as strtof would), or nil if it is not a number.
    @inline(__always)
    func parseFloat(_ p: UnsafePointer<UInt8>, _ length: Int) -> Float? {
        if let d = fastPath(p, length) {
            // Converting the exactly-rounded double to float rounds twice; that differs from a single
            // rounding only when the double lands exactly on a float midpoint (29 low mantissa bits
            // = 1000…0), or in the float subnormal range. Those rare cases go to strtof.
            let magnitude = abs(d)
            if magnitude == 0 || (magnitude >= 1.1754943508222875e-38 && d.bitPattern & 0x1FFF_FFFF != 0x1000_0000) {
                return Float(d)
            }
        }
        guard let v = slowPath(p, length, asFloat: true) else { return nil }
        return Float(v)
    }

    /// Integers and decimals with ≤ 19 significant digits and |exponent| ≤ 22 whose mantissa fits 2^53.
    @inline(__always)
    private func fastPath(_ p: UnsafePointer<UInt8>, _ length: Int) -> Double? {
        var i = 0
        var negative = false
        if i < length && (p[i] == 0x2D || p[i] == 0x2B) { negative = p[i] == 0x2D; i &+= 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var sawDigit = false
        while i < length {
            let d = p[i] &- 0x30
            guard d < 10 else { break }
            sawDigit = true
            if digits >= 19 { return nil }
            mantissa = mantissa &* 10 &+ UInt64(d)
            if mantissa != 0 { digits &+= 1 }
            i &+= 1
        }
        if i < length && p[i] == 0x2E {
            i &+= 1
            while i < length {
                let d = p[i] &- 0x30
                guard d < 10 else { break }
                sawDigit = true
                if digits >= 19 { return nil }
                mantissa = mantissa &* 10 &+ UInt64(d)
                if mantissa != 0 { digits &+= 1 }
                exponent &-= 1
                i &+= 1
            }
        }
        guard sawDigit else { return nil }
        if i < length && (p[i] == 0x65 || p[i] == 0x45) {
            i &+= 1
            var expNegative = false
            if i < length && (p[i] == 0x2D || p[i] == 0x2B) { expNegative = p[i] == 0x2D; i &+= 1 }
            var e = 0
            var expDigits = false
            while i < length {
                let d = p[i] &- 0x30
                guard d < 10 else { break }
                expDigits = true
                if e < 100_000 { e = e &* 10 &+ Int(d) }
                i &+= 1
            }
            guard expDigits else { return nil }
            exponent &+= expNegative ? -e : e
        }
        guard i == length else { return nil }
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        guard mantissa <= 1 << 53, exponent >= -22, exponent <= 22 else { return nil }
        var value = Double(mantissa)
        value = exponent < 0 ? value / powersOfTen[-exponent] : value * powersOfTen[exponent]
        return negative ? -value : value
    }

    private func slowPath(_ p: UnsafePointer<UInt8>, _ length: Int, asFloat: Bool) -> Double? {
        guard length > 0, length < 512 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { buffer -> Double? in
            for i in 0..<length { buffer[i] = CChar(bitPattern: p[i]) }
            buffer[length] = 0
            var endPointer: UnsafeMutablePointer<CChar>? = nil
            let start = buffer.baseAddress!
            let value = asFloat ? Double(strtof(start, &endPointer)) : strtod(start, &endPointer)
            guard endPointer == start + length else { return nil }
            return value
        }
    }
}
