/// The CRC-32 of zip archives (IEEE 802.3, reflected polynomial 0xEDB88320), which zip readers
/// (Python's `zipfile`, torch's miniz) check against each entry's data.
///
/// Slicing-by-8 (eight 256-entry tables in one array, eight bytes per step): checkpoints are
/// gigabytes, and the byte-at-a-time loop would take longer than generating the weights.
struct CRC32 {
    /// Table k at [256·k, 256·(k+1)): the CRC of a byte followed by k zero bytes.
    private static let table: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for n in 0..<256 {
            var c = UInt32(n)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            t[n] = c
        }
        for k in 1..<8 {
            for n in 0..<256 {
                let previous = t[(k - 1) * 256 + n]
                t[k * 256 + n] = (previous >> 8) ^ t[Int(previous & 0xFF)]
            }
        }
        return t
    }()

    private var state: UInt32 = 0xFFFF_FFFF

    init() {}

    var value: UInt32 { ~state }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        let n = bytes.count
        var c = state, i = 0
        Self.table.withUnsafeBufferPointer { t in
            func at(_ k: Int, _ byte: UInt32) -> UInt32 { t[k &* 256 &+ Int(byte & 0xFF)] }
            while i + 8 <= n {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let low = UInt32(truncatingIfNeeded: word) ^ c, high = UInt32(truncatingIfNeeded: word >> 32)
                c = at(7, low) ^ at(6, low >> 8) ^ at(5, low >> 16) ^ at(4, low >> 24)
                    ^ at(3, high) ^ at(2, high >> 8) ^ at(1, high >> 16) ^ at(0, high >> 24)
                i += 8
            }
            while i < n {
                c = at(0, c ^ UInt32(base.load(fromByteOffset: i, as: UInt8.self))) ^ (c >> 8)
                i += 1
            }
        }
        state = c
    }

    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }
}
