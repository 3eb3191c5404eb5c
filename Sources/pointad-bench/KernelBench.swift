import ArgumentParser
import Foundation
import TensorCore

/// Elementwise and row-wise kernels over a 577×4096 activation, in GB/s against memcpy.
struct KernelBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kernels", abstract: "Softmax, layer norm, GELU GB/s vs memcpy.")
    @Option(help: "Threads (0 = all cores).") var threads: Int = 0
    @Option(help: "Timed runs per kernel.") var runs: Int = 15

    func run() throws {
        ComputeThreads.configure(threads)
        let rows = 577, cols = 4096, n = rows * cols
        let x = Tensor(zeros: [rows, cols]), y = Tensor(zeros: [rows, cols])
        fill(x, seed: 7)
        let gamma = Tensor(shape: [cols], repeating: 1), beta = Tensor(zeros: [cols])
        let bytes = Double(n * 4)
        // memcpy moves 2 × bytes (read + write); the in-place kernels do the same.
        let copy = medianSeconds(runs: runs) { memcpy(y.pointer, x.pointer, n * 4) }
        let memcpyRate = 2 * bytes / copy / 1e9
        // The machine's memory bandwidth: a copy far larger than the caches.
        let bigCount = 64 << 20
        let big = Tensor(zeros: [bigCount]), bigOut = Tensor(zeros: [bigCount])
        let bigCopy = medianSeconds(runs: 5) { memcpy(bigOut.pointer, big.pointer, bigCount * 4) }
        let dramRate = 2 * Double(bigCount * 4) / bigCopy / 1e9
        print("577x4096 float32 (9.5 MB, cache-resident), \(ComputeThreads.count) thread(s); rate = bytes read + written per second")
        print(pad("memcpy 256 MiB (DRAM)", 24) + fmt(dramRate) + " GB/s   <- the machine's memcpy bandwidth")
        print(pad("memcpy 577x4096", 24) + fmt(memcpyRate) + " GB/s")
        let cases: [(String, () throws -> Void)] = [
            ("softmax rows", { y.softmaxRows() }),
            ("layer norm rows", { try x.layerNormRows(gamma: gamma, beta: beta, eps: 1e-5, into: y) }),
            ("GELU (erf)", { y.apply(.gelu) }),
            ("QuickGELU", { y.apply(.quickGELU) }),
            ("L2 normalise rows", { y.l2NormalizeRows() }),
            ("add row vector", { try y.addRowVector(gamma) }),
        ]
        for (name, body) in cases {
            memcpy(y.pointer, x.pointer, n * 4)
            let t = try medianSeconds(runs: runs, body)
            let rate = 2 * bytes / t / 1e9
            print(pad(name, 24) + pad(fmt(rate) + " GB/s", 14) + pad(fmt(rate / dramRate * 100) + "% of DRAM memcpy", 24)
                  + fmt(rate / memcpyRate * 100) + "% of same-size memcpy")
        }
    }
}
