import COpenBLAS
import Dispatch
import Foundation

/// The number of threads pointad computes with: OpenBLAS threads and the row-parallel workers of
/// the elementwise kernels. Defaults to all cores; `--threads` sets it.
public enum ComputeThreads {
    nonisolated(unsafe) private static var current: Int = ProcessInfo.processInfo.activeProcessorCount
    private static let blasLock = NSLock()

    public static var count: Int { current }

    /// Sets the thread count for BLAS and the kernels (values < 1 mean all cores).
    public static func configure(_ threads: Int) {
        let n = threads < 1 ? ProcessInfo.processInfo.activeProcessorCount : threads
        current = n
        openblas_set_num_threads(Int32(n))
    }

    /// Runs `body` with OpenBLAS at one thread, restoring the configured count afterwards.
    public static func withSingleThreadedBLAS(_ body: () -> Void) {
        blasLock.lock()
        openblas_set_num_threads(1)
        body()
        openblas_set_num_threads(Int32(current))
        blasLock.unlock()
    }
}

/// Splits loops over the configured workers.
public enum Parallel {
    /// Calls `body(i)` for every i in 0..<count, spread over the workers.
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        let workers = min(ComputeThreads.count, count)
        if workers <= 1 {
            for i in 0..<count { body(i) }
            return
        }
        withoutActuallyEscaping(body) { escapable in
            let box = UncheckedSendable(escapable)
            DispatchQueue.concurrentPerform(iterations: count) { box.value($0) }
        }
    }

    /// Calls `body(range)` on contiguous chunks covering 0..<count. Runs serially when the work is
    /// small (`count · costPerItem` below ~64k operations) so tiny tensors pay no dispatch cost.
    public static func forChunks(_ count: Int, costPerItem: Int = 1, _ body: (Range<Int>) -> Void) {
        let workers = ComputeThreads.count
        if workers <= 1 || count < 2 || count * costPerItem < 65_536 {
            body(0..<count)
            return
        }
        let chunks = min(count, workers * 4)
        withoutActuallyEscaping(body) { escapable in
            let box = UncheckedSendable(escapable)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let lo = count * c / chunks, hi = count * (c + 1) / chunks
                if lo < hi { box.value(lo..<hi) }
            }
        }
    }
}

/// Carries a value into a concurrent closure. The kernels hand raw pointers to workers that write
/// disjoint ranges, which the compiler cannot prove safe.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
