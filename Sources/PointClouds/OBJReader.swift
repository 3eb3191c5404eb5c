import Foundation
import PointADSupport

/// Reads Wavefront OBJ geometry: `v x y z` vertices and `f` faces (`i`, `i/t`, `i//n`, `i/t/n`;
/// negative indices count back from the latest vertex). Polygons become triangle fans. Texture
/// coordinates, normals, groups, smoothing, materials, lines and points are ignored; a file
/// without faces is a point set (its vertices).
public enum OBJReader {
    public static func read(_ url: URL) throws -> TriangleMesh {
        let data = try FileBytes.load(url)
        return try data.withUnsafeBytes { try read(bytes: $0, path: url.path) }
    }

    public static func read(bytes: UnsafeRawBufferPointer, path: String) throws -> TriangleMesh {
        var file = try TextCursor(wholeFile: bytes, path: path)
        let base = file.base
        let parser = NumberParser()
        var lineNumber = 0
        var vertices: [SIMD3<Float>] = []
        var triangles: [SIMD3<Int32>] = []
        var corners: [Int32] = []
        while var line = file.nextContentLine(lineNumber: &lineNumber) {
            guard let keyword = line.nextToken() else { continue }
            let k0 = base[keyword.start]
            if keyword.length == 1 && k0 == UInt8(ascii: "v") {
                var xyz = SIMD3<Float>()
                for c in 0..<3 {
                    guard let token = line.nextToken(), let value = parser.parseFloat(base + token.start, token.length), value.isFinite else {
                        throw FileError(path, "line \(lineNumber): vertex \(vertices.count + 1): expected three finite coordinates")
                    }
                    xyz[c] = value
                }
                vertices.append(xyz)
            } else if keyword.length == 1 && k0 == UInt8(ascii: "f") {
                corners.removeAll(keepingCapacity: true)
                while let token = line.nextToken() {
                    // The vertex index is what precedes the first '/'.
                    var length = 0
                    while length < token.length && base[token.start + length] != UInt8(ascii: "/") { length += 1 }
                    guard let i = parser.parseDouble(base + token.start, length), i == i.rounded(), abs(i) < 2e9 else {
                        throw FileError(path, "line \(lineNumber): face corner '\(line.text(token))' is not a vertex index")
                    }
                    let index = i < 0 ? vertices.count + Int(i) : Int(i) - 1
                    guard i != 0, index >= 0, index < vertices.count else {
                        throw FileError(path, "line \(lineNumber): face refers to vertex \(Int(i)), but only \(vertices.count) vertices precede it")
                    }
                    corners.append(Int32(index))
                }
                guard corners.count >= 3 else {
                    throw FileError(path, "line \(lineNumber): face with \(corners.count) corners (at least 3 needed)")
                }
                TriangleMesh.appendFan(corners, to: &triangles)
            }
        }
        guard !vertices.isEmpty else { throw FileError(path, "contains no vertices ('v' lines)") }
        return TriangleMesh(vertices: vertices, triangles: triangles)
    }
}
