import Foundation

/// Foundation's file errors in plain words. On Linux their text is "The operation could not be
/// completed" or a raw `Error Domain=NSCocoaErrorDomain Code=4 … UserInfo={…}` dump, and a
/// device such as /dev/zero reads as "You don't have permission". Readers and writers name the
/// file themselves (`FileError`); this gives them the reason, and the command line maps any
/// Foundation error that still escapes (`userFacing`).
public enum SystemErrorText {
    /// The reason in plain words: from the underlying POSIX error when there is one (it is the
    /// most precise), else from the Cocoa code, else the error's own description.
    public static func describe(_ error: any Error) -> String {
        if let e = error as? FileError { return e.problem }
        if let e = error as? UsageError { return e.message }
        let ns = error as NSError
        if let path = path(of: error), let file = fileInTheWay(of: path) { return "\(file) is a file, not a folder" }
        if let posix = posixCode(ns) { return String(cString: strerror(posix)).lowercasedFirst }
        if ns.domain == NSCocoaErrorDomain, let words = cocoaWords[ns.code] { return words }
        return ns.localizedDescription
    }

    /// The file a Foundation error is about (its `NSFilePathErrorKey` or URL), if it says.
    public static func path(of error: any Error) -> String? {
        let info = (error as NSError).userInfo
        if let path = info[NSFilePathErrorKey] as? String { return path }
        if let url = info[NSURLErrorKey] as? URL { return url.path }
        return nil
    }

    /// What the user should see: our own errors as they are, Foundation and POSIX errors as a
    /// `FileError` naming the file (when the error says which) and the reason in plain words.
    public static func userFacing(_ error: any Error) -> any Error {
        if error is FileError || error is UsageError { return error }
        let ns = error as NSError
        guard ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain else { return error }
        return FileError(path(of: error) ?? "file system", describe(error))
    }

    /// The nearest existing ancestor of `path` when it is a file (`--out /dev/null/x`): Foundation
    /// reports that only as "cannot be written".
    static func fileInTheWay(of path: String) -> String? {
        var url = URL(fileURLWithPath: path).deletingLastPathComponent()
        while url.path != "/" {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) { return isDirectory.boolValue ? nil : url.path }
            url = url.deletingLastPathComponent()
        }
        return nil
    }

    static func posixCode(_ error: NSError) -> Int32? {
        if error.domain == NSPOSIXErrorDomain { return Int32(truncatingIfNeeded: error.code) }
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError { return posixCode(underlying) }
        return nil
    }

    /// Foundation's `CocoaError.Code` values for file operations.
    static let cocoaWords: [Int: String] = [
        4: "no such file or folder",
        255: "the file is locked",
        256: "cannot be read",
        257: "permission denied (cannot read)",
        258: "invalid file name",
        259: "the file is corrupt or not in the expected format",
        260: "no such file",
        261: "not valid text in the expected encoding (UTF-8)",
        263: "the file is too large to read",
        512: "cannot be written",
        513: "permission denied (cannot write)",
        514: "invalid file name",
        516: "a file of that name already exists",
        640: "no space left on the device",
        642: "the volume is read-only",
    ]
}

extension String {
    /// "No such file" → "no such file" (strerror's text inside our sentences).
    var lowercasedFirst: String { prefix(1).lowercased() + dropFirst() }
}
