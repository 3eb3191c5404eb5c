import ArgumentParser
import TensorCore

/// Options every computing subcommand shares.
struct ComputeOptions: ParsableArguments {
    @Option(name: .long, help: "Threads for BLAS and kernels (default: all cores).")
    var threads: Int = 0

    func validate() throws {
        if threads < 0 { throw ValidationError("--threads must be ≥ 0 (0 means all cores), got \(threads)") }
    }

    /// Applies the settings to the engine.
    func apply() { ComputeThreads.configure(threads) }
}
