import PointADSupport

/// One of N deterministic slices of a walk: shard K of N takes the samples whose walk index i has
/// i mod N = K (round robin, so every shard gets a share of every class). K counts from 0, like
/// Slurm's `SLURM_ARRAY_TASK_ID` with `--array=0-(N-1)` and Kubernetes' `JOB_COMPLETION_INDEX`.
public struct Shard: Sendable, Equatable, Codable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) throws {
        guard count >= 1, index >= 0, index < count else {
            throw UsageError("shard \(index)/\(count): expected K/N with 0 ≤ K < N")
        }
        self.index = index
        self.count = count
    }

    /// Parses `K/N`.
    public init(_ text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else {
            throw UsageError("--shard '\(text)': expected K/N, e.g. 0/8 (K counts from 0)")
        }
        try self.init(index: k, count: n)
    }

    public func contains(_ walkIndex: Int) -> Bool { walkIndex % count == index }

    public var description: String { "\(index)/\(count)" }
}
