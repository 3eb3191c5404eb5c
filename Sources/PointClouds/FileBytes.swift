import Foundation
import PointADSupport

/// Loads a whole input file (memory-mapped when the system allows), with errors that name it.
enum FileBytes {
    static func load(_ url: URL) throws -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw FileError(url.path, "no such file")
        }
        guard !isDirectory.boolValue else { throw FileError(url.path, "is a directory, not a file") }
        // A device (/dev/zero, /dev/sda) has no size to read to; Foundation calls that "permission".
        var info = stat()
        if stat(url.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFCHR || (info.st_mode & S_IFMT) == S_IFBLK || (info.st_mode & S_IFMT) == S_IFSOCK {
            throw FileError(url.path, "is a device or socket, not a point-cloud file")
        }
        do {
            return try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw FileError(url.path, "cannot read: \(SystemErrorText.describe(error))")
        }
    }
}
