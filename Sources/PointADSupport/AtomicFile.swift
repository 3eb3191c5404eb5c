import Foundation

/// Writes files so that a reader never sees a half-written file and a crash never destroys the
/// previous version: the bytes go to a temporary file in the same directory, are flushed to disk,
/// and the temporary file is then renamed over the destination (rename is atomic on POSIX).
public enum AtomicFile {
    /// Writes `data` to `url` atomically, creating parent directories as needed.
    public static func write(_ data: Data, to url: URL) throws {
        try write(to: url) { try $0.write(data) }
    }

    /// Writes a UTF-8 string atomically.
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }
}
