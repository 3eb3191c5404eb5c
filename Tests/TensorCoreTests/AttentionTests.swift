import Foundation
import Testing
import TensorCore
import TestSupport

/// Multi-head attention against a direct triple loop in double precision, with and without the
/// causal mask, several sequences and heads read in place from strided buffers.
@Suite("multi-head attention against a reference loop")
struct AttentionTests {
    static func reference(q: [Float], k: [Float], v: [Float], sequences: Int, length: Int, heads: Int, width: Int, scale: Float, causal: Bool) -> [Float] {
        let d = width / heads
        var out = [Float](repeating: 0, count: sequences * length * width)
        for b in 0..<sequences { for h in 0..<heads { for i in 0..<length {
            let visible = causal ? i + 1 : length
            var logits = [Double](repeating: 0, count: visible)
            for j in 0..<visible {
                var s = 0.0
                for c in 0..<d { s += Double(q[(b * length + i) * width + h * d + c]) * Double(k[(b * length + j) * width + h * d + c]) }
                logits[j] = s * Double(scale)
            }
            let m = logits.max()!
            let e = logits.map { exp($0 - m) }, total = e.reduce(0, +)
            for c in 0..<d {
                var s = 0.0
                for j in 0..<visible { s += e[j] / total * Double(v[(b * length + j) * width + h * d + c]) }
                out[(b * length + i) * width + h * d + c] = Float(s)
            }
        } } }
        return out
    }

    @Test("sizes, heads, causal", arguments: [(1, 5, 1, 4, false), (3, 7, 2, 8, false), (2, 9, 4, 16, true), (1, 1, 2, 4, true), (4, 17, 3, 12, true)])
    func matches(_ c: (Int, Int, Int, Int, Bool)) throws {
        let (sequences, length, heads, width, causal) = c
        let n = sequences * length * width
        let q = randomFloats(n, seed: 1, scale: 2), k = randomFloats(n, seed: 2, scale: 2), v = randomFloats(n, seed: 3)
        let qt = try Tensor(shape: [sequences * length, width], values: q), kt = try Tensor(shape: [sequences * length, width], values: k)
        let vt = try Tensor(shape: [sequences * length, width], values: v)
        // The output is written into the middle columns of a wider buffer (ld > cols).
        let wide = Tensor(shape: [sequences * length, width + 3], repeating: 9)
        let scale = 1 / Float(width / heads).squareRoot()
        let probabilities = Tensor(zeros: [sequences, heads, length, length])
        try Attention.multiHead(query: MatrixView(qt), key: MatrixView(kt), value: MatrixView(vt),
                                into: MatrixView(wide.pointer + 1, rows: sequences * length, cols: width, ld: width + 3),
                                sequences: sequences, length: length, heads: heads, scale: scale, causal: causal,
                                probabilities: probabilities.pointer)
        let expected = Self.reference(q: q, k: k, v: v, sequences: sequences, length: length, heads: heads, width: width, scale: scale, causal: causal)
        var got: [Float] = []
        for r in 0..<(sequences * length) {
            #expect(wide[r, 0] == 9 && wide[r, width + 1] == 9 && wide[r, width + 2] == 9)
            for c in 0..<width { got.append(wide[r, c + 1]) }
        }
        #expect(maxAbsoluteError(got, expected) < 1e-5)
        // Each probability row sums to 1 and is 0 above the diagonal when causal.
        for row in 0..<(sequences * heads * length) {
            let p = probabilities.pointer + row * length, i = row % length
            var s: Float = 0
            for j in 0..<length { s += p[j]; if causal && j > i { #expect(p[j] == 0) } }
            #expect(abs(s - 1) < 1e-5)
        }
        // Without the probabilities buffer (per-worker scratch) the result is the same.
        let out2 = Tensor(zeros: [sequences * length, width])
        try Attention.multiHead(query: MatrixView(qt), key: MatrixView(kt), value: MatrixView(vt), into: MatrixView(out2),
                                sequences: sequences, length: length, heads: heads, scale: scale, causal: causal)
        #expect(maxAbsoluteError(out2.toArray(), expected) < 1e-5)
    }
}
