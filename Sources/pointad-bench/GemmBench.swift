import ArgumentParser
import COpenBLAS
import Foundation
import TensorCore

/// sgemm at ViT-L/14@336 shapes: the library's matmul against raw `cblas_sgemm`, same threads.
struct GemmBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gemm", abstract: "Library matmul vs raw cblas_sgemm at ViT shapes.")
    @Option(help: "Threads (0 = all cores).") var threads: Int = 0
    @Option(help: "Timed runs per shape.") var runs: Int = 9

    func run() throws {
        ComputeThreads.configure(threads)
        print("sgemm, \(ComputeThreads.count) thread(s), OpenBLAS core \(String(cString: openblas_get_corename()))")
        print(pad("shape", 34) + pad("raw cblas GFLOP/s", 20) + pad("library GFLOP/s", 18) + "ratio")
        let shapes: [(String, Int, Int, Int)] = [
            ("577x1024 · 1024x4096 (MLP up)", 577, 4096, 1024),
            ("577x4096 · 4096x1024 (MLP down)", 577, 1024, 4096),
            ("577x1024 · 1024x3072 (QKV)", 577, 3072, 1024),
        ]
        for (name, m, n, k) in shapes {
            let a = Tensor(shape: [m, k], repeating: 0), b = Tensor(shape: [k, n], repeating: 0), c = Tensor(zeros: [m, n])
            fill(a, seed: 1); fill(b, seed: 2)
            let raw = medianSeconds(runs: runs) {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1, a.pointer, Int32(k), b.pointer, Int32(n), 0, c.pointer, Int32(n))
            }
            let lib = try medianSeconds(runs: runs) { _ = try a.matmul(b, into: c) }
            report(name, flops: 2.0 * Double(m * n * k), raw: raw, lib: lib)
        }
        // Attention core: 16 heads of Q·Kᵀ (577×64 · 64×577) reading heads in place from a [577, 1024] buffer.
        let l = 577, h = 16, d = 64
        let q = Tensor(zeros: [l, h * d]), k = Tensor(zeros: [l, h * d]), s = Tensor(zeros: [h, l, l])
        fill(q, seed: 3); fill(k, seed: 4)
        let raw = medianSeconds(runs: runs) {
            for head in 0..<h {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(l), Int32(l), Int32(d), 1, q.pointer + head * d, Int32(h * d),
                            k.pointer + head * d, Int32(h * d), 0, s.pointer + head * l * l, Int32(l))
            }
        }
        let lib = try medianSeconds(runs: runs) {
            let (qp, kp, sp) = (q.pointer, k.pointer, s.pointer)
            try batchedGemm(count: h, transposeB: true) { head in
                (MatrixView(qp + head * d, rows: l, cols: d, ld: h * d), MatrixView(kp + head * d, rows: l, cols: d, ld: h * d),
                 MatrixView(sp + head * l * l, rows: l, cols: l))
            }
        }
        report("16 heads 577x64 · 64x577 (Q·Kᵀ)", flops: 2.0 * Double(h * l * l * d), raw: raw, lib: lib)
    }

    func report(_ name: String, flops: Double, raw: Double, lib: Double) {
        let r = flops / raw / 1e9, g = flops / lib / 1e9
        print(pad(name, 34) + pad(fmt(r), 20) + pad(fmt(g), 18) + fmt(g / r * 100) + "%")
    }
}

func fill(_ t: Tensor, seed: UInt64) {
    var rng = SeededRandom(seed: seed)
    let p = t.pointer
    for i in 0..<t.count { p[i] = rng.uniform() - 0.5 }
}
