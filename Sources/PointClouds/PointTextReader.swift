import Foundation
import PointADSupport

/// Reads point lists stored as text, one point per line: Real3D-AD ground truth (`x y z label`,
/// space-separated), Anomaly-ShapeNet ground truth (`x,y,z,label`), and plain `.xyz` files
/// (`x y z` or `x y z nx ny nz`). Separators may be spaces, tabs or commas; `#` starts a comment.
/// Columns by count: 3 = x y z; 4 = + label; 6 = + normals; 7 = + normals + label.
public enum PointTextReader {
    public static func read(_ url: URL) throws -> PointCloud {
        let data = try FileBytes.load(url)
        return try data.withUnsafeBytes { try read(bytes: $0, path: url.path) }
    }

    public static func read(bytes: UnsafeRawBufferPointer, path: String) throws -> PointCloud {
        guard let raw = bytes.baseAddress, !bytes.isEmpty else { throw FileError(path, "empty file") }
        let base = raw.assumingMemoryBound(to: UInt8.self)
        let parser = NumberParser()
        var values: [Float] = []
        var columns = 0
        var lineNumber = 0
        var position = 0
        let end = bytes.count
        var rowValues: [Float] = []
        rowValues.reserveCapacity(8)
        while position < end {
            lineNumber += 1
            var lineEnd = position
            while lineEnd < end && base[lineEnd] != 0x0A { lineEnd += 1 }
            var p = position
            position = lineEnd + 1
            rowValues.removeAll(keepingCapacity: true)
            while p < lineEnd {
                let c = base[p]
                if c == 0x20 || c == 0x09 || c == 0x0D || c == 0x2C { p += 1; continue }
                if c == 0x23 { break }
                let start = p
                while p < lineEnd {
                    let d = base[p]
                    if d == 0x20 || d == 0x09 || d == 0x0D || d == 0x2C || d == 0x23 { break }
                    p += 1
                }
                guard let v = parser.parseFloat(base + start, p - start) else {
                    let token = String(decoding: UnsafeBufferPointer(start: base + start, count: min(p - start, 40)), as: UTF8.self)
                    throw FileError(path, "line \(lineNumber): '\(token)' is not a number")
                }
                rowValues.append(v)
                if rowValues.count > 7 { throw FileError(path, "line \(lineNumber): more than 7 columns (expected x y z [nx ny nz] [label])") }
            }
            if rowValues.isEmpty { continue }
            if columns == 0 {
                guard [3, 4, 6, 7].contains(rowValues.count) else {
                    throw FileError(path, "line \(lineNumber): \(rowValues.count) columns (expected 3 x y z, 4 x y z label, 6 with normals or 7 with normals and label)")
                }
                columns = rowValues.count
            } else if rowValues.count != columns {
                throw FileError(path, "line \(lineNumber): \(rowValues.count) columns where earlier lines have \(columns)")
            }
            values.append(contentsOf: rowValues)
        }
        guard columns > 0 else { throw FileError(path, "contains no points") }
        let n = values.count / columns
        var names = ["x", "y", "z"]
        if columns >= 6 { names += ["nx", "ny", "nz"] }
        if columns == 4 || columns == 7 { names.append("label") }
        var result = PointColumns(count: n, noun: "point")
        for (c, name) in names.enumerated() {
            var column = [Float](repeating: 0, count: n)
            for i in 0..<n { column[i] = values[i * columns + c] }
            result.columns.append(.init(name: name, type: .float32, values: column))
        }
        return try result.assemble(path: path)
    }
}
