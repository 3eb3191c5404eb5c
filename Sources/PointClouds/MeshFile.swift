import Foundation
import PointADSupport

/// Reads the mesh formats (OBJ, STL, OFF) by extension; `PointCloudFile` turns a mesh into points.
public enum MeshFile {
    /// The mesh and how it was stored ("OBJ", "STL binary", "OFF").
    public static func read(_ url: URL) throws -> (mesh: TriangleMesh, encoding: String) {
        let data = try FileBytes.load(url)
        return try data.withUnsafeBytes { bytes in
            switch url.pathExtension.lowercased() {
            case "obj": return (try OBJReader.read(bytes: bytes, path: url.path), "OBJ")
            case "stl": return (try STLReader.read(bytes: bytes, path: url.path), "STL \(STLReader.encoding(of: bytes))")
            case "off": return (try OFFReader.read(bytes: bytes, path: url.path), "OFF")
            default: throw FileError(url.path, "not a mesh file (expected \(PointCloudFile.Format.meshExtensions))")
            }
        }
    }
}
