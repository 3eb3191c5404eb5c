import Testing
import TensorCore
import TestSupport

/// The class-token-only attention against the double-precision reference loop of AttentionTests:
/// its output must equal row 0 of each sequence of the full attention.
@Suite("first-token attention")
struct FirstTokenAttentionTests {
    @Test("row 0 of every sequence, strided query and output", arguments: [(1, 5, 1, 4), (3, 7, 2, 8), (2, 33, 4, 16)])
    func matchesFirstRows(_ c: (Int, Int, Int, Int)) throws {
        let (sequences, length, heads, width) = c
        let n = sequences * length * width
        let q = randomFloats(n, seed: 11, scale: 2), k = randomFloats(n, seed: 12, scale: 2), v = randomFloats(n, seed: 13)
        let expected = AttentionTests.reference(q: q, k: k, v: v, sequences: sequences, length: length, heads: heads, width: width,
                                                scale: 0.7, causal: false)
        let qt = try Tensor(shape: [sequences * length, width], values: q), kt = try Tensor(shape: [sequences * length, width], values: k)
        let vt = try Tensor(shape: [sequences * length, width], values: v)
        // Queries read in place: row 0 of each sequence through the leading dimension.
        let query = MatrixView(qt.pointer, rows: sequences, cols: width, ld: length * width)
        let out = Tensor(shape: [sequences, width + 2], repeating: 9)
        try Attention.firstToken(query: query, key: MatrixView(kt.pointer, rows: sequences * length, cols: width),
                                 value: MatrixView(vt.pointer, rows: sequences * length, cols: width),
                                 into: MatrixView(out.pointer, rows: sequences, cols: width, ld: width + 2),
                                 sequences: sequences, length: length, heads: heads, scale: 0.7)
        for b in 0..<sequences {
            let got = (0..<width).map { out.pointer[b * (width + 2) + $0] }
            let want = Array(expected[(b * length * width)..<(b * length * width + width)])
            #expect(maxAbsoluteError(got, want) < 1e-5, "sequence \(b)")
            #expect(out.pointer[b * (width + 2) + width] == 9 && out.pointer[b * (width + 2) + width + 1] == 9, "padding untouched")
        }
    }

    @Test("mismatched shapes are refused")
    func refusesShapes() throws {
        let t = Tensor(zeros: [6, 8])
        #expect(throws: TensorError.self) {
            try Attention.firstToken(query: MatrixView(t.pointer, rows: 2, cols: 8), key: MatrixView(t.pointer, rows: 5, cols: 8),
                                     value: MatrixView(t.pointer, rows: 6, cols: 8), into: MatrixView(t.pointer, rows: 2, cols: 8),
                                     sequences: 2, length: 3, heads: 2, scale: 1)
        }
    }
}
