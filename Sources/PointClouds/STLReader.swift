import Foundation
import PointADSupport

/// Reads STL triangle soups, ASCII (`solid … facet … vertex x y z … endsolid`) and binary (80-byte
/// header, triangle count, 50 bytes per triangle). Binary is recognised by its size (84 + 50·count)
/// rather than by the first word, since many exporters start binary headers with "solid" too.
/// Corners with identical coordinates become one vertex, so the mesh is connected as in the part.
public enum STLReader {
    public static func read(_ url: URL) throws -> TriangleMesh {
        let data = try FileBytes.load(url)
        return try data.withUnsafeBytes { try read(bytes: $0, path: url.path) }
    }

    /// "binary" or "ASCII", as `read` would take the file.
    static func encoding(of bytes: UnsafeRawBufferPointer) -> String {
        isBinary(bytes) ? "binary" : "ASCII"
    }

    private static func declaredTriangles(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count >= 84 else { return nil }
        return Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 80, as: UInt32.self)))
    }

    private static func isBinary(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let n = declaredTriangles(bytes) else { return false }
        return 84 + 50 * n == bytes.count
    }

    public static func read(bytes: UnsafeRawBufferPointer, path: String) throws -> TriangleMesh {
        guard !bytes.isEmpty else { throw FileError(path, "empty file") }
        if isBinary(bytes) { return try readBinary(bytes, path: path) }
        let start = bytes.prefix(512).firstIndex { !TextCursor.isSpace($0) } ?? 0
        if bytes.count - start >= 5, Array(bytes[start..<(start + 5)]) == Array("solid".utf8) {
            return try readASCII(bytes, path: path)
        }
        if let n = declaredTriangles(bytes) {
            throw FileError(path, "binary STL declares \(n) triangles, which need \(84 + 50 * n) bytes, but the file has \(bytes.count)")
        }
        throw FileError(path, "not an STL file (neither 'solid' at the start nor a binary STL's size)")
    }

    private static func readBinary(_ bytes: UnsafeRawBufferPointer, path: String) throws -> TriangleMesh {
        let n = declaredTriangles(bytes)!
        var welder = VertexWelder()
        var triangles: [SIMD3<Int32>] = []
        triangles.reserveCapacity(n)
        for t in 0..<n {
            var corners = SIMD3<Int32>()
            for c in 0..<3 {
                let o = 84 + 50 * t + 12 + 12 * c
                let p = SIMD3<Float>((0..<3).map { Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: o + 4 * $0, as: UInt32.self))) })
                guard p.x.isFinite && p.y.isFinite && p.z.isFinite else {
                    throw FileError(path, "triangle \(t) has a non-finite coordinate (\(p.x), \(p.y), \(p.z))")
                }
                corners[c] = welder.index(of: p)
            }
            triangles.append(corners)
        }
        return try finish(welder, triangles, path: path)
    }

    private static func readASCII(_ bytes: UnsafeRawBufferPointer, path: String) throws -> TriangleMesh {
        let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let parser = NumberParser()
        var file = TextCursor(base, start: 0, end: bytes.count)
        var lineNumber = 0
        var welder = VertexWelder()
        var triangles: [SIMD3<Int32>] = []
        var loop: [Int32] = []
        var inLoop = false
        while var line = file.nextContentLine(lineNumber: &lineNumber) {
            guard let keyword = line.nextWord() else { continue }
            switch keyword {
            case "outer":
                loop.removeAll(keepingCapacity: true)
                inLoop = true
            case "vertex":
                guard inLoop else { throw FileError(path, "line \(lineNumber): 'vertex' outside an 'outer loop'") }
                var p = SIMD3<Float>()
                for c in 0..<3 {
                    guard let token = line.nextToken(), let value = parser.parseFloat(base + token.start, token.length), value.isFinite else {
                        throw FileError(path, "line \(lineNumber): expected three finite coordinates after 'vertex'")
                    }
                    p[c] = value
                }
                loop.append(welder.index(of: p))
            case "endloop":
                guard inLoop, loop.count >= 3 else {
                    throw FileError(path, "line \(lineNumber): a facet with \(loop.count) vertices (at least 3 needed)")
                }
                TriangleMesh.appendFan(loop, to: &triangles)
                inLoop = false
            default:
                // solid, facet normal, endfacet, endsolid: structure only.
                continue
            }
        }
        if inLoop { throw FileError(path, "the file ends inside a facet (truncated?)") }
        return try finish(welder, triangles, path: path)
    }

    private static func finish(_ welder: VertexWelder, _ triangles: [SIMD3<Int32>], path: String) throws -> TriangleMesh {
        guard !triangles.isEmpty else { throw FileError(path, "contains no triangles") }
        return TriangleMesh(vertices: welder.vertices, triangles: triangles)
    }

    /// Gives identical corner coordinates one vertex index (−0 and +0 are the same point).
    private struct VertexWelder {
        var vertices: [SIMD3<Float>] = []
        private var indices: [SIMD3<UInt32>: Int32] = [:]

        mutating func index(of p: SIMD3<Float>) -> Int32 {
            let q = p + SIMD3<Float>(repeating: 0)  // -0 + 0 = +0
            let key = SIMD3(q.x.bitPattern, q.y.bitPattern, q.z.bitPattern)
            if let i = indices[key] { return i }
            let i = Int32(vertices.count)
            indices[key] = i
            vertices.append(q)
            return i
        }
    }
}
