/// Order-preserving maps between float32 scores and unsigned integers, and an LSD radix sort over
/// them: the metrics sort millions of scores per class, and three 11-bit counting passes are several
/// times faster than a comparison sort while giving exactly the same order.
enum SortKeys {
    /// Maps a finite float to a `UInt32` whose unsigned order is the float order; −0 and +0 map to
    /// the same key, so they form one tie as they do for numpy and scikit-learn.
    @inline(__always)
    static func key(_ value: Float) -> UInt32 {
        let bits = value == 0 ? 0 : value.bitPattern
        return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
    }

    /// The inverse of `key` (−0 comes back as +0).
    @inline(__always)
    static func value(_ key: UInt32) -> Float {
        Float(bitPattern: key & 0x8000_0000 != 0 ? key & 0x7FFF_FFFF : ~key)
    }

    /// Sorts `values` ascending by their low `bits` bits (the rest must be zero) with 11-bit LSD
    /// passes; a pass where every value falls into one bucket is skipped.
    static func radixSort(_ values: inout [UInt64], bits: Int) {
        let n = values.count
        guard n > 1 else { return }
        let digitBits = 11, buckets = 1 << digitBits, mask = UInt64(buckets - 1)
        let passes = (bits + digitBits - 1) / digitBits
        // One read computes the histograms of every pass.
        var counts = [Int](repeating: 0, count: buckets * passes)
        values.withUnsafeBufferPointer { src in
            counts.withUnsafeMutableBufferPointer { c in
                for i in 0..<n {
                    let v = src[i]
                    for p in 0..<passes { c[p &* buckets &+ Int((v &>> UInt64(p &* digitBits)) & mask)] &+= 1 }
                }
            }
        }
        var scratch = [UInt64](repeating: 0, count: n)
        var sourceIsValues = true
        for p in 0..<passes {
            let base = p * buckets
            if counts[base..<(base + buckets)].contains(n) { continue }
            var offsets = [Int](repeating: 0, count: buckets)
            var running = 0
            for b in 0..<buckets { offsets[b] = running; running += counts[base + b] }
            let shift = UInt64(p * digitBits)
            let scatter = { (src: UnsafeBufferPointer<UInt64>, dst: UnsafeMutableBufferPointer<UInt64>) in
                offsets.withUnsafeMutableBufferPointer { o in
                    for i in 0..<n {
                        let v = src[i]
                        let b = Int((v &>> shift) & mask)
                        dst[o[b]] = v
                        o[b] &+= 1
                    }
                }
            }
            if sourceIsValues {
                values.withUnsafeBufferPointer { s in scratch.withUnsafeMutableBufferPointer { d in scatter(s, d) } }
            } else {
                scratch.withUnsafeBufferPointer { s in values.withUnsafeMutableBufferPointer { d in scatter(s, d) } }
            }
            sourceIsValues.toggle()
        }
        if !sourceIsValues { values = scratch }
    }

    /// `values` sorted ascending (all must be finite).
    static func sorted(_ values: [Float]) -> [Float] {
        var packed = values.map { UInt64(key($0)) }
        radixSort(&packed, bits: 32)
        return packed.map { value(UInt32(truncatingIfNeeded: $0)) }
    }
}
