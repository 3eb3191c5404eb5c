import Foundation

/// Reports progress of long work on standard error: a redrawn bar with rate and ETA when stderr
/// is a terminal, and plain timestamped lines (at most one every few seconds, plus the last) when
/// it is a log file or a pipe, so CI logs and Slurm outputs stay readable.
public final class ProgressReporter: @unchecked Sendable {
    private let label: String
    private let total: Int
    private let interactive: Bool
    private let start = Date()
    private var lastPrint = Date.distantPast
    private var done = 0
    private let lock = NSLock()
    private let quiet: Bool

    public init(_ label: String, total: Int, quiet: Bool = false) {
        self.label = label
        self.total = max(total, 0)
        self.interactive = isatty(STDERR_FILENO) != 0
        self.quiet = quiet
    }

    /// Advances by `count` items; `detail` (e.g. loss terms) is shown after the bar.
    public func advance(by count: Int = 1, detail: String = "") {
        lock.lock(); defer { lock.unlock() }
        done = min(total, done + count)
        guard !quiet else { return }
        let now = Date()
        let finished = done == total
        let interval: TimeInterval = interactive ? 0.1 : 5
        guard finished || now.timeIntervalSince(lastPrint) >= interval else { return }
        lastPrint = now
        let elapsed = now.timeIntervalSince(start)
        let fraction = total == 0 ? 1 : Double(done) / Double(total)
        let eta = done == 0 ? Double.nan : elapsed / Double(done) * Double(total - done)
        let timing = "\(Self.clock(elapsed)) elapsed, ETA \(eta.isFinite ? Self.clock(eta) : "--:--")"
        let suffix = detail.isEmpty ? "" : "  \(detail)"
        if interactive {
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            FileHandle.standardError.write(Data("\r\u{1B}[K\(label) [\(bar)] \(done)/\(total) \(timing)\(suffix)".utf8))
            if finished { FileHandle.standardError.write(Data("\n".utf8)) }
        } else {
            let percent = Int((fraction * 100).rounded(.down))
            FileHandle.standardError.write(Data("\(label): \(done)/\(total) (\(percent)%) \(timing)\(suffix)\n".utf8))
        }
    }

    /// Prints a message above the bar without breaking it.
    public func log(_ message: String) {
        lock.lock(); defer { lock.unlock() }
        guard !quiet else { return }
        let prefix = interactive ? "\r\u{1B}[K" : ""
        FileHandle.standardError.write(Data("\(prefix)\(message)\n".utf8))
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%02d:%02d", s / 60, s % 60)
    }
}
