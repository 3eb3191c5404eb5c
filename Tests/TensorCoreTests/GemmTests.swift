import Testing
import TensorCore
import TestSupport

/// The matmul wrapper must equal a plain triple loop for every transpose combination, including
/// odd and degenerate sizes, because every layer of CLIP goes through it.
@Suite("matmul against reference loops")
struct GemmTests {
    static func reference(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int, ta: Bool, tb: Bool) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n {
            var s: Double = 0
            for p in 0..<k {
                let av = ta ? a[p * m + i] : a[i * k + p]
                let bv = tb ? b[j * k + p] : b[p * n + j]
                s += Double(av) * Double(bv)
            }
            c[i * n + j] = Float(s)
        } }
        return c
    }

    @Test("sizes and transposes", arguments: [(1, 1, 1), (7, 1, 7), (1, 7, 3), (7, 5, 3), (3, 577, 7), (577, 7, 64), (33, 65, 17)])
    func matches(_ size: (Int, Int, Int)) throws {
        let (m, n, k) = size
        for ta in [false, true] { for tb in [false, true] {
            let av = randomFloats(m * k, seed: UInt64(m * 31 + k)), bv = randomFloats(k * n, seed: UInt64(n * 17 + k))
            let a = try Tensor(shape: ta ? [k, m] : [m, k], values: av)
            let b = try Tensor(shape: tb ? [n, k] : [k, n], values: bv)
            let c = try a.matmul(b, transposeSelf: ta, transposeOther: tb)
            #expect(c.shape == [m, n])
            let expected = Self.reference(av, bv, m: m, n: n, k: k, ta: ta, tb: tb)
            // float32 accumulation over k terms of unit-range values: error ≲ k · 1e-7.
            #expect(maxAbsoluteError(c.toArray(), expected) <= 1e-5 * Float(k), "m=\(m) n=\(n) k=\(k) ta=\(ta) tb=\(tb)")
        } }
    }

    @Test("alpha, beta and leading-dimension views")
    func alphaBetaAndStrides() throws {
        // One head (columns 4..<8) of a [5, 12] buffer times the transpose of another head.
        let qv = randomFloats(60, seed: 1), kv = randomFloats(60, seed: 2)
        let q = try Tensor(shape: [5, 12], values: qv), k = try Tensor(shape: [5, 12], values: kv)
        let c = Tensor(shape: [5, 5], repeating: 1)
        try gemm(MatrixView(q.pointer + 4, rows: 5, cols: 4, ld: 12), MatrixView(k.pointer + 8, rows: 5, cols: 4, ld: 12),
                 transposeB: true, into: MatrixView(c), alpha: 0.5, beta: 2)
        for i in 0..<5 { for j in 0..<5 {
            var s: Float = 0
            for p in 0..<4 { s += qv[i * 12 + 4 + p] * kv[j * 12 + 8 + p] }
            #expect(abs(c[i, j] - (0.5 * s + 2)) < 1e-5)
        } }
    }

    @Test("batched matmul equals per-item matmul")
    func batched() throws {
        ComputeThreads.configure(2)
        let h = 6, l = 9, d = 4
        let q = try Tensor(shape: [l, h * d], values: randomFloats(l * h * d, seed: 5))
        let k = try Tensor(shape: [l, h * d], values: randomFloats(l * h * d, seed: 6))
        let s = Tensor(zeros: [h, l, l])
        let (qp, kp, sp) = (q.pointer, k.pointer, s.pointer)
        try batchedGemm(count: h, transposeB: true) { i in
            (MatrixView(qp + i * d, rows: l, cols: d, ld: h * d), MatrixView(kp + i * d, rows: l, cols: d, ld: h * d), MatrixView(sp + i * l * l, rows: l, cols: l))
        }
        for head in 0..<h { for i in 0..<l { for j in 0..<l {
            var ref: Float = 0
            for p in 0..<d { ref += q[i, head * d + p] * k[j, head * d + p] }
            #expect(abs(s[head, i, j] - ref) < 1e-5)
        } } }
    }

    @Test("rank-3 input keeps its leading dimensions")
    func leadingDims() throws {
        let a = try Tensor(shape: [2, 3, 4], values: randomFloats(24, seed: 9))
        let b = try Tensor(shape: [4, 5], values: randomFloats(20, seed: 10))
        #expect(try a.matmul(b).shape == [2, 3, 5])
    }

    @Test("shape mismatch names both shapes")
    func mismatch() throws {
        let a = Tensor(zeros: [3, 4]), b = Tensor(zeros: [5, 6])
        #expect(throws: TensorError.self) { try a.matmul(b) }
        do { _ = try a.matmul(b); Issue.record("expected an error") } catch {
            let text = String(describing: error)
            #expect(text.contains("[3, 4]") && text.contains("[5, 6]"), "message was: \(text)")
        }
    }
}
