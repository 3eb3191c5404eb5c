import Foundation
import Testing
import TensorCore
import TestSupport

/// Each transformer kernel against a straightforward double-precision loop, on odd row lengths
/// (1, 7, 577) so vector tails are exercised. Tolerances: 1e-5 relative for softmax/layer norm/L2,
/// 2e-6 absolute for the polynomial activations (their documented error bound plus rounding).
@Suite("row and elementwise kernels against reference loops")
struct KernelTests {
    static let widths = [1, 7, 577]

    @Test("softmax", arguments: widths)
    func softmax(_ cols: Int) throws {
        ComputeThreads.configure(2)
        let rows = 33
        let v = randomFloats(rows * cols, seed: UInt64(cols), scale: 20)
        let t = try Tensor(shape: [rows, cols], values: v)
        t.softmaxRows(scale: 0.5)
        var expected = [Float]()
        for r in 0..<rows {
            let row = v[(r * cols)..<((r + 1) * cols)].map { Double($0) * 0.5 }
            let m = row.max()!
            let e = row.map { Foundation.exp($0 - m) }
            let s = e.reduce(0, +)
            expected += e.map { Float($0 / s) }
        }
        #expect(maxAbsoluteError(t.toArray(), expected) < 1e-6)
    }

    @Test("layer norm", arguments: widths)
    func layerNorm(_ cols: Int) throws {
        let rows = 129
        let v = randomFloats(rows * cols, seed: UInt64(cols + 1), scale: 3)
        let g = randomFloats(cols, seed: 2), b = randomFloats(cols, seed: 3)
        let x = try Tensor(shape: [rows, cols], values: v)
        let y = try x.layerNormRows(gamma: Tensor(shape: [cols], values: g), beta: Tensor(shape: [cols], values: b), eps: 1e-5)
        var expected = [Float]()
        for r in 0..<rows {
            let row = v[(r * cols)..<((r + 1) * cols)].map(Double.init)
            let mean = row.reduce(0, +) / Double(cols)
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(cols)
            for j in 0..<cols { expected.append(Float((row[j] - mean) / (variance + 1e-5).squareRoot() * Double(g[j]) + Double(b[j]))) }
        }
        #expect(maxRelativeError(y.toArray(), expected) < 1e-5)
    }

    @Test("activations", arguments: [Activation.quickGELU, .gelu, .geluTanh])
    func activations(_ act: Activation) throws {
        let v = randomFloats(577 * 7, seed: 11, scale: 8) + [0, -100, 100, -0.0]
        let t = try Tensor(shape: [v.count], values: v)
        t.apply(act)
        let expected: [Float] = v.map { x in
            let d = Double(x)
            switch act {
            case .quickGELU: return Float(d / (1 + Foundation.exp(-1.702 * d)))
            case .gelu: return Float(0.5 * d * (1 + Foundation.erf(d / 2.0.squareRoot())))
            case .geluTanh: return Float(0.5 * d * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * (d + 0.044715 * d * d * d))))
            }
        }
        let got = t.toArray()
        for i in 0..<v.count {
            #expect(abs(got[i] - expected[i]) <= 2e-6 * max(1, abs(expected[i])), "x=\(v[i]) got \(got[i]) want \(expected[i])")
        }
    }

    @Test("fast exp stays within 2e-7 relative")
    func fastExp() {
        var worst: Double = 0
        var x: Float = -87
        while x < 88 {
            let e = Double(FastMath.exp(x)), r = Foundation.exp(Double(x))
            worst = max(worst, abs(e - r) / r)
            x += 0.0137
        }
        #expect(worst < 2e-7, "worst relative error \(worst)")
    }

    @Test("L2 normalise and broadcasting", arguments: widths)
    func l2AndBroadcast(_ cols: Int) throws {
        let rows = 9
        let v = randomFloats(rows * cols, seed: 21)
        let t = try Tensor(shape: [rows, cols], values: v)
        let bias = try Tensor(shape: [cols], values: randomFloats(cols, seed: 22))
        try t.addRowVector(bias)
        try t.multiplyRowVector(bias)
        t.l2NormalizeRows()
        for r in 0..<rows {
            let row = (0..<cols).map { j in Double((v[r * cols + j] + bias[j]) * bias[j]) }
            let n = row.map { $0 * $0 }.reduce(0, +).squareRoot()
            for j in 0..<cols { #expect(abs(Double(t[r, j]) - row[j] / n) < 1e-5) }
        }
        let zero = Tensor(zeros: [2, cols])
        zero.l2NormalizeRows()
        #expect(zero.toArray().allSatisfy { $0 == 0 })
        #expect(throws: TensorError.self) { try t.addRowVector(Tensor(zeros: [cols + 1])) }
    }

    @Test("views share storage and check bounds")
    func views() throws {
        let t = try Tensor(shape: [4, 3], values: (0..<12).map(Float.init))
        let r = try t.rows(1..<3)
        #expect(r.shape == [2, 3] && r[0, 0] == 3)
        r[1, 2] = 42
        #expect(t[2, 2] == 42)
        #expect(try t.reshaped([-1, 6]).shape == [2, 6])
        #expect(throws: TensorError.self) { try t.reshaped([5, -1]) }
        #expect(throws: TensorError.self) { try t.rows(3..<5) }
    }
}
