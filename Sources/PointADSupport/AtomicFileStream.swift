import Foundation

/// Appends bytes to the temporary file of an atomic write (see `AtomicFile.write(to:_:)`).
public final class AtomicFileStream {
    fileprivate let fd: Int32
    fileprivate let path: String
    fileprivate init(fd: Int32, path: String) { self.fd = fd; self.path = path }

    /// Writes all of `bytes`, retrying short writes.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw FileError(path, "write failed: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    public func write(_ data: Data) throws { try data.withUnsafeBytes { try write($0) } }
}

extension AtomicFile {
    /// Writes a file produced piece by piece (too large to build in memory first) with the same
    /// guarantee as `write(_:to:)`: a temporary file in the destination's directory, flushed, then
    /// renamed over the destination; on any error the temporary file is removed.
    public static func write(to url: URL, _ produce: (AtomicFileStream) throws -> Void) throws {
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw FileError(url.path, "cannot create directory \(directory.path): \(SystemErrorText.describe(error))")
        }
        StaleTemporaries.sweepOnce(directory)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw FileError(url.path, "cannot create temporary file: \(String(cString: strerror(errno)))") }
        do {
            try produce(AtomicFileStream(fd: fd, path: url.path))
            if fsync(fd) != 0 { throw FileError(url.path, "write failed: \(String(cString: strerror(errno)))") }
        } catch {
            close(fd)
            unlink(temporary.path)
            throw error
        }
        close(fd)
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw FileError(url.path, "cannot move temporary file into place: \(reason)")
        }
    }
}
