import Foundation

/// Writes sets of output files (one scored cloud's PLY, pictures and JSON) as one unit, so two
/// runs writing the same names into one folder never leave a mixed set: each run writes a set
/// into its own hidden staging folder, then moves the whole set into place while holding an
/// exclusive lock on the destination folder. Whichever run moves last wins, with all its files.
///
/// Staging folders are named `.pointad-staging-<pid>-<random>`; those of processes that no
/// longer run (killed, crashed) are removed by the next run into the same folder.
public final class OutputStaging {
    public static let prefix = ".pointad-staging-"
    public static let lockName = ".pointad-outputs.lock"

    /// Where the sets end up.
    public let destination: URL
    /// This run's staging folder (inside `destination`, so the moves are renames on one file system).
    public let folder: URL

    public init(into destination: URL) throws {
        self.destination = destination
        do {
            try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
        } catch {
            throw FileError(destination.path, "cannot create the output folder (\(Self.reason(error)))")
        }
        Self.removeStale(in: destination)
        folder = destination.appendingPathComponent("\(Self.prefix)\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        } catch {
            throw FileError(destination.path, "cannot write in the output folder (\(Self.reason(error)))")
        }
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Moves the staged files `names` (relative paths) into the destination, all under the lock.
    public func commit(_ names: [String]) throws {
        let lockPath = destination.appendingPathComponent(Self.lockName).path
        let fd = open(lockPath, O_RDWR | O_CREAT, 0o644)
        guard fd >= 0 else { throw FileError(lockPath, "cannot open the output lock: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw FileError(lockPath, "cannot lock the output folder: \(String(cString: strerror(errno)))") }
        }
        defer { flock(fd, LOCK_UN) }
        for name in names {
            let target = destination.appendingPathComponent(name)
            try? FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            if rename(folder.appendingPathComponent(name).path, target.path) != 0 {
                throw FileError(target.path, "cannot move the output into place: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Removes the staged files of a set that will not be committed (its cloud failed).
    public func discard() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names { try? FileManager.default.removeItem(at: folder.appendingPathComponent(name)) }
    }

    /// Removes staging folders whose process is gone.
    static func removeStale(in destination: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: destination.path)) ?? []
        for name in names where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count).prefix { $0 != "-" }), !isRunning(pid) else { continue }
            try? FileManager.default.removeItem(at: destination.appendingPathComponent(name))
        }
    }

    /// Whether a process with this id exists (EPERM: it exists but belongs to someone else).
    static func isRunning(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let posix = ns.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        return ns.localizedDescription
    }
}
