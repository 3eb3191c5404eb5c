/// Finds NaN and ±Inf in float buffers: models, prompts and results are checked with it so that a
/// corrupted tensor is named where it is read, not discovered as "-nan" in an output file.
public enum NonFiniteScan {
    /// The index of the first NaN or ±Inf in `values[0..<count]`, or nil. Blocks are tested with a
    /// branch-free OR of "exponent all ones" flags (which vectorises: a 1.7 GB model is scanned at
    /// memory speed), and only a flagged block is searched element by element.
    public static func firstIndex(_ values: UnsafePointer<Float>, count: Int) -> Int? {
        let block = 4096
        var start = 0
        while start < count {
            let end = min(start + block, count)
            var flagged: UInt32 = 0
            values.withMemoryRebound(to: UInt32.self, capacity: count) { bits in
                for i in start..<end { flagged |= (bits[i] & 0x7F80_0000) == 0x7F80_0000 ? 1 : 0 }
            }
            if flagged != 0 {
                for i in start..<end where !values[i].isFinite { return i }
            }
            start = end
        }
        return nil
    }

    /// The index of the first NaN or ±Inf in `values`, or nil.
    public static func firstIndex(_ values: [Float]) -> Int? {
        values.withUnsafeBufferPointer { b in b.baseAddress.flatMap { firstIndex($0, count: b.count) } }
    }
}

extension Tensor {
    /// The flat index of the first NaN or ±Inf element, or nil.
    public var firstNonFiniteIndex: Int? { NonFiniteScan.firstIndex(pointer, count: count) }
}
