import Foundation

/// Temporary files of atomic writes (`.<name>.tmp-<pid>-<random>`) left behind when their writer
/// was killed (kill -9, out of memory, power loss): the rename never happened and nothing else
/// would ever remove them (a killed feature-cache build leaves a hidden file of gigabytes).
///
/// Before the first atomic write into a folder, each process removes the ones whose writer is
/// gone. Only files of exactly our naming are considered, and only when their process id no
/// longer exists (kill(pid, 0) fails with ESRCH); a live writer's file, or one of a process we
/// cannot signal, is never touched.
public enum StaleTemporaries {
    private static let swept = NSLockedSet()

    /// Removes the stale temporaries in `directory` once per process; returns the names removed.
    @discardableResult
    public static func sweepOnce(_ directory: URL) -> [String] {
        guard swept.insert(directory.standardizedFileURL.path) else { return [] }
        return sweep(directory)
    }

    /// Removes the stale temporaries in `directory` now; returns the names removed.
    @discardableResult
    public static func sweep(_ directory: URL) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        var removed: [String] = []
        for name in names {
            guard let pid = writerProcess(name), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            if unlink(directory.appendingPathComponent(name).path) == 0 { removed.append(name) }
        }
        return removed
    }

    /// The writer's process id when `name` is an atomic write's temporary: `.` + name + `.tmp-` +
    /// decimal pid + `-` + decimal random number, nothing else.
    static func writerProcess(_ name: String) -> pid_t? {
        guard name.hasPrefix("."), let marker = name.range(of: ".tmp-", options: .backwards), marker.lowerBound > name.index(after: name.startIndex) else { return nil }
        let parts = name[marker.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let pid = pid_t(parts[0]), pid > 0, UInt32(parts[1]) != nil else { return nil }
        return pid
    }
}

/// A set of strings behind a lock (atomic writes run from several threads).
final class NSLockedSet: @unchecked Sendable {
    private let lock = NSLock()
    private var values: Set<String> = []

    /// Inserts `value`; true when it was not there yet.
    func insert(_ value: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return values.insert(value).inserted
    }
}
