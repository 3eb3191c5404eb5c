import Foundation
import PointADSupport

/// A file mapped read-only into memory for the lifetime of this object.
///
/// `mmap` directly rather than `Data(contentsOf:options: .alwaysMapped)`: a mapped `Data` gives
/// no stable address (a file of a few bytes is copied into `Data`'s inline storage and unmapped),
/// while tensors borrow pointers into the mapping for as long as the file object lives.
final class MappedFile: @unchecked Sendable {
    let bytes: UnsafeRawPointer
    let count: Int
    private let mapping: UnsafeMutableRawPointer?

    init(path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw FileError(path, "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileError(path, "cannot stat: \(String(cString: strerror(errno)))") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw FileError(path, "not a regular file") }
        count = Int(info.st_size)
        if count == 0 {
            // mmap refuses empty mappings; an empty file has no bytes to point at.
            mapping = nil
            bytes = UnsafeRawPointer(bitPattern: 0x10)!
            return
        }
        guard let m = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), m != MAP_FAILED else {
            throw FileError(path, "cannot map into memory: \(String(cString: strerror(errno)))")
        }
        mapping = m
        bytes = UnsafeRawPointer(m)
    }

    deinit {
        if let mapping { munmap(mapping, count) }
    }
}
