import Foundation
import PointADSupport

/// Reads ASCII OFF meshes (Object File Format: `OFF`, counts, vertices, faces), the format of the
/// real scans in Debian's libcgal-demo data (Stanford bunny, armadillo, …). Polygons are split
/// into triangle fans; `COFF`/`NOFF` extras after the coordinates and face colours are ignored.
public enum OFFFile {
    public static func read(_ url: URL) throws -> SurfaceMesh {
        let path = url.path
        guard let data = FileManager.default.contents(atPath: path) else { throw FileError(path, "cannot read the file") }
        var tokens = Tokens(data)
        guard let magic = tokens.next(), magic.hasSuffix("OFF"), magic.count <= 4 else {
            throw FileError(path, "not an OFF file (expected OFF on the first line)")
        }
        let perVertexExtras = magic.hasPrefix("C") ? 4 : magic.hasPrefix("N") ? 3 : 0
        let vertexCount = try count(&tokens, "vertex count", path), faceCount = try count(&tokens, "face count", path)
        _ = try count(&tokens, "edge count", path)
        // Each vertex needs at least 6 bytes of text ("0 0 0\n"), each face 8: a lying header cannot
        // make us allocate more than the file could hold.
        guard vertexCount * 6 + faceCount * 8 <= data.count else {
            throw FileError(path, "header declares \(vertexCount) vertices and \(faceCount) faces, more than the file holds")
        }
        var vertices: [SIMD3<Float>] = []
        vertices.reserveCapacity(vertexCount)
        for v in 0..<vertexCount {
            var xyz = SIMD3<Float>()
            for c in 0..<3 {
                guard let token = tokens.next(), let value = Float(token), value.isFinite else {
                    throw FileError(path, "vertex \(v): expected three finite coordinates")
                }
                xyz[c] = value
            }
            for _ in 0..<perVertexExtras { _ = tokens.next() }
            vertices.append(xyz)
        }
        var triangles: [SIMD3<Int32>] = []
        triangles.reserveCapacity(faceCount)
        for f in 0..<faceCount {
            let corners = try count(&tokens, "face \(f) size", path)
            guard corners >= 3, corners <= 1000 else { throw FileError(path, "face \(f): \(corners) corners") }
            var indices: [Int32] = []
            for _ in 0..<corners {
                guard let token = tokens.next(), let i = Int32(token), i >= 0, Int(i) < vertexCount else {
                    throw FileError(path, "face \(f): vertex index missing or outside 0..<\(vertexCount)")
                }
                indices.append(i)
            }
            for k in 1..<(corners - 1) { triangles.append(SIMD3(indices[0], indices[k], indices[k + 1])) }
            tokens.skipRestOfLine()
        }
        return SurfaceMesh(vertices: vertices, triangles: triangles)
    }

    private static func count(_ tokens: inout Tokens, _ what: String, _ path: String) throws -> Int {
        guard let token = tokens.next(), let n = Int(token), n >= 0 else { throw FileError(path, "expected a \(what)") }
        return n
    }

    /// Whitespace-separated tokens, skipping `#` comments.
    private struct Tokens {
        let bytes: [UInt8]
        var position = 0

        init(_ data: Data) { bytes = [UInt8](data) }

        mutating func next() -> String? {
            while position < bytes.count {
                let b = bytes[position]
                if b == UInt8(ascii: "#") {
                    skipRestOfLine()
                } else if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D {
                    position += 1
                } else {
                    break
                }
            }
            guard position < bytes.count else { return nil }
            let start = position
            while position < bytes.count, ![0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }

        /// Skips to the next line (face colours, comments).
        mutating func skipRestOfLine() {
            while position < bytes.count, bytes[position] != 0x0A { position += 1 }
        }
    }
}
