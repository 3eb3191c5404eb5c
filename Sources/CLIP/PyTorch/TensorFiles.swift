import Foundation
import PointADSupport

/// Opens a tensor file by its content, not its name: a zip archive is a PyTorch checkpoint
/// (`.pt`, `.pth`, `.bin`), anything else is read as safetensors (whose errors then explain).
public enum TensorFiles {
    public static func open(_ url: URL) throws -> any TensorSource {
        if try isZip(url) { return try TorchCheckpoint(contentsOf: url) }
        if try startsLikePickle(url) { return try TorchCheckpoint(contentsOf: url) }  // explains the legacy format
        return try SafetensorsFile(contentsOf: url)
    }

    static func isZip(_ url: URL) throws -> Bool { try firstBytes(url, 4) == [0x50, 0x4B, 0x03, 0x04] }

    private static func startsLikePickle(_ url: URL) throws -> Bool { try firstBytes(url, 2) == [0x80, 0x02] }

    private static func firstBytes(_ url: URL, _ n: Int) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw FileError(url.path, FileManager.default.fileExists(atPath: url.path) ? "cannot open" : "no such file")
        }
        defer { try? handle.close() }
        return Array((try? handle.read(upToCount: n)) ?? Data())
    }
}
