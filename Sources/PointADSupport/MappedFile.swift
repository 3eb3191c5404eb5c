import Foundation

/// A file mapped read-only into memory (`mmap`), unmapped when the object goes away.
///
/// Weights and feature caches are read through this so that a 1.7 GB model costs no heap copy,
/// and so that pointers into the file stay valid for the object's lifetime. (`Data(contentsOf:
/// options: .alwaysMapped)` reads small files into the `Data` value itself, where a pointer taken
/// with `withUnsafeBytes` does not outlive the call.)
public final class MappedFile: @unchecked Sendable {
    public let path: String
    /// First byte of the file; valid for `count` bytes (a dummy non-nil pointer for an empty file).
    public let bytes: UnsafeRawPointer
    public let count: Int
    private let mapped: Bool

    public init(_ url: URL) throws {
        path = url.path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw FileError(path, errno == ENOENT ? "no such file" : "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileError(path, "cannot stat: \(String(cString: strerror(errno)))") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw FileError(path, "not a regular file") }
        count = Int(info.st_size)
        if count == 0 {
            bytes = UnsafeRawPointer(bitPattern: 0x10)!
            mapped = false
            return
        }
        guard let address = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), address != MAP_FAILED else {
            throw FileError(path, "cannot memory-map: \(String(cString: strerror(errno)))")
        }
        bytes = UnsafeRawPointer(address)
        mapped = true
    }

    /// The bytes in `range` as a buffer (no copy).
    public func buffer(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "range \(range) outside a \(count)-byte file")
        return UnsafeRawBufferPointer(start: bytes + range.lowerBound, count: range.count)
    }

    deinit {
        if mapped { munmap(UnsafeMutableRawPointer(mutating: bytes), count) }
    }
}
