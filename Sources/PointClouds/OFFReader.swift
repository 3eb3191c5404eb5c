import Foundation
import PointADSupport

/// Reads ASCII OFF meshes (Object File Format): `OFF`, then `vertices faces edges`, one vertex per
/// line, one face per line (`n i1 … in`). The `C`, `N` and `ST` variants (COFF, NOFF, CNOFF,
/// STOFF …) put colours, normals or texture coordinates after a vertex's coordinates and colours
/// after a face's indices: those are ignored. Polygons become triangle fans. A file with no faces
/// is a point set (CGAL writes point sets as OFF too). 4-D, n-D and binary OFF are refused.
public enum OFFReader {
    public static func read(_ url: URL) throws -> TriangleMesh {
        let data = try FileBytes.load(url)
        return try data.withUnsafeBytes { try read(bytes: $0, path: url.path) }
    }

    public static func read(bytes: UnsafeRawBufferPointer, path: String) throws -> TriangleMesh {
        var file = try TextCursor(wholeFile: bytes, path: path)
        let base = file.base
        let parser = NumberParser()
        var lineNumber = 0
        guard var line = file.nextContentLine(lineNumber: &lineNumber), let magic = line.nextWord(), magic.hasSuffix("OFF") else {
            throw FileError(path, "not an OFF file (expected OFF, COFF, NOFF … on the first line)")
        }
        let variant = magic.dropLast(3)
        guard variant.allSatisfy({ "STCN4n".contains($0) }), variant.count <= 5 else {
            throw FileError(path, "not an OFF file (unknown keyword '\(magic.prefix(20))' on the first line)")
        }
        if variant.contains("4") || variant.contains("n") { throw FileError(path, "\(magic): only 3-D OFF is supported") }
        // The counts may follow the keyword on its line or come on the next.
        var counts: [Int] = []
        while counts.count < 2 {
            guard let token = line.nextToken() else {
                guard let next = file.nextContentLine(lineNumber: &lineNumber) else { throw FileError(path, "expected the vertex and face counts after \(magic)") }
                line = next
                continue
            }
            if counts.isEmpty && line.text(token) == "BINARY" { throw FileError(path, "binary OFF is not supported (save it as ASCII)") }
            guard let n = parser.parseDouble(base + token.start, token.length), n >= 0, n == n.rounded(), n < 1e15 else {
                throw FileError(path, "line \(lineNumber): expected a \(counts.isEmpty ? "vertex" : "face") count, found '\(line.text(token))'")
            }
            counts.append(Int(n))
        }
        let (vertexCount, faceCount) = (counts[0], counts[1])
        // As OBJ and STL: a mesh without vertices is an error, not an empty cloud to score.
        guard vertexCount > 0 else { throw FileError(path, "header declares no vertices") }
        // A vertex needs at least 6 bytes of text ("0 0 0\n"), a face 8 ("3 0 1 2\n"): a lying header
        // cannot make us allocate more than the file could hold.
        guard vertexCount <= bytes.count / 6, faceCount <= bytes.count / 8, vertexCount * 6 + faceCount * 8 <= bytes.count else {
            throw FileError(path, "header declares \(vertexCount) vertices and \(faceCount) faces, more than the file holds")
        }
        var vertices: [SIMD3<Float>] = []
        vertices.reserveCapacity(vertexCount)
        for v in 0..<vertexCount {
            guard var line = file.nextContentLine(lineNumber: &lineNumber) else {
                throw FileError(path, "vertex \(v): the file ends early (\(vertexCount) vertices declared)")
            }
            var xyz = SIMD3<Float>()
            for c in 0..<3 {
                guard let token = line.nextToken(), let value = parser.parseFloat(base + token.start, token.length), value.isFinite else {
                    throw FileError(path, "line \(lineNumber): vertex \(v): expected three finite coordinates")
                }
                xyz[c] = value
            }
            vertices.append(xyz)
        }
        var triangles: [SIMD3<Int32>] = []
        triangles.reserveCapacity(faceCount)
        var corners: [Int32] = []
        for f in 0..<faceCount {
            guard var line = file.nextContentLine(lineNumber: &lineNumber) else {
                throw FileError(path, "face \(f): the file ends early (\(faceCount) faces declared)")
            }
            guard let token = line.nextToken(), let n = parser.parseDouble(base + token.start, token.length), n == n.rounded(), n >= 3, n <= 100_000 else {
                throw FileError(path, "line \(lineNumber): face \(f): expected a corner count of at least 3")
            }
            corners.removeAll(keepingCapacity: true)
            for _ in 0..<Int(n) {
                guard let token = line.nextToken(), let i = parser.parseDouble(base + token.start, token.length),
                      i == i.rounded(), i >= 0, i < Double(vertexCount) else {
                    throw FileError(path, "line \(lineNumber): face \(f): vertex index missing or outside 0..<\(vertexCount)")
                }
                corners.append(Int32(i))
            }
            TriangleMesh.appendFan(corners, to: &triangles)
        }
        return TriangleMesh(vertices: vertices, triangles: triangles)
    }
}
