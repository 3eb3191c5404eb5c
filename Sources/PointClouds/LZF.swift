/// LZF decompression (liblzf's format, used by PCD `binary_compressed`). Every read and write is
/// bounds-checked, so corrupt input yields nil rather than a crash.
enum LZF {
    /// Decompresses `source` into `destination`; returns the number of bytes written, or nil if the
    /// stream is corrupt or would overflow the destination.
    static func decompress(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer) -> Int? {
        guard let src = source.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return 0 }
        guard let dst = destination.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return source.isEmpty ? 0 : nil }
        let inEnd = source.count, outEnd = destination.count
        var i = 0, o = 0
        while i < inEnd {
            let control = Int(src[i])
            i += 1
            if control < 32 {
                // Literal run of control + 1 bytes.
                let length = control + 1
                guard i + length <= inEnd, o + length <= outEnd else { return nil }
                (dst + o).update(from: src + i, count: length)
                i += length
                o += length
            } else {
                // Back reference: length (3 bits, extended by a byte when 7) + 2, offset 13 bits + 1.
                var length = control >> 5
                if length == 7 {
                    guard i < inEnd else { return nil }
                    length += Int(src[i])
                    i += 1
                }
                length += 2
                guard i < inEnd else { return nil }
                let reference = o - ((control & 0x1F) << 8) - 1 - Int(src[i])
                i += 1
                guard reference >= 0, o + length <= outEnd else { return nil }
                // Byte by byte: the source may overlap the bytes being written (run-length repeats).
                for k in 0..<length { dst[o + k] = dst[reference + k] }
                o += length
            }
        }
        return o
    }

    /// Literal-only LZF encoding: valid for every decoder, not smaller (the PCD writer uses it so
    /// tests can produce `binary_compressed` files without a compressor).
    static func literalEncode(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 32 + 1)
        var i = 0
        while i < bytes.count {
            let n = min(32, bytes.count - i)
            out.append(UInt8(n - 1))
            out.append(contentsOf: bytes[i..<(i + n)])
            i += n
        }
        return out
    }
}
