import ArgumentParser
import COpenBLAS
import Foundation
import TensorCore

/// ViT-L/14@336 attention (16 heads of 577 tokens × 64) on one image and on nine, through the
/// fused kernel and through the per-head sgemm path (taken when the probabilities are asked
/// for), against the large-product sgemm rate measured in the same run.
struct AttentionBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "attention", abstract: "16-head attention: fused kernel vs per-head sgemm vs large sgemm (GFLOP/s).")
    @Option(help: "Threads (0 = all cores).") var threads: Int = 0
    @Option(help: "Timed runs.") var runs: Int = 5

    func run() throws {
        ComputeThreads.configure(threads)
        print("processor: \(processorName()); OpenBLAS core \(String(cString: openblas_get_corename())); \(KernelDispatch.description); \(ComputeThreads.count) thread(s)")
        let length = 577, width = 1024, heads = 16
        for images in [1, 9] {
            let rows = images * length
            let q = Tensor(zeros: [rows, width]), k = Tensor(zeros: [rows, width]), v = Tensor(zeros: [rows, width]), o = Tensor(zeros: [rows, width])
            fill(q, seed: 1); fill(k, seed: 2); fill(v, seed: 3)
            let view = { (t: Tensor) in MatrixView(t.pointer, rows: rows, cols: width) }
            let probabilities = Tensor(zeros: [images * heads * length * length])
            let flops = Double(images * heads) * 4 * Double(length * length * (width / heads))
            func rate(_ fused: Bool) throws -> Double {
                let s = try medianSeconds(runs: runs, warmup: 1) {
                    try Attention.multiHead(query: view(q), key: view(k), value: view(v), into: view(o), sequences: images, length: length,
                                            heads: heads, scale: 0.125, probabilities: fused ? nil : probabilities.pointer)
                }
                return flops / s / 1e9
            }
            let sgemmBefore = largeSgemmRate()
            let fused = try rate(true), perHead = try rate(false)
            let sgemm = (sgemmBefore + largeSgemmRate()) / 2
            print("\(images) image(s): fused \(fmt(fused)) GFLOP/s = \(fmt(fused / sgemm * 100))% of sgemm; per-head sgemm + softmax \(fmt(perHead)) GFLOP/s = \(fmt(perHead / sgemm * 100))%; sgemm 577x1024·1024x4096 \(fmt(sgemm)) GFLOP/s")
        }
    }

    func largeSgemmRate() -> Double {
        let m = 577, n = 4096, k = 1024
        let a = Tensor(zeros: [m, k]), b = Tensor(zeros: [k, n]), c = Tensor(zeros: [m, n])
        fill(a, seed: 1); fill(b, seed: 2)
        let s = medianSeconds(runs: 5) { _ = try? a.matmul(b, into: c) }
        return 2 * Double(m * n * k) / s / 1e9
    }
}
