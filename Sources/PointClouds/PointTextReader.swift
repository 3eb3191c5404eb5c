import Foundation
import PointADSupport

/// Reads point lists stored as text, one point per line: Real3D-AD ground truth (`x y z label`),
/// Anomaly-ShapeNet ground truth (`x,y,z,label`), `.xyz` / `.csv` exports (`x y z`, `x y z nx ny nz`,
/// `x;y;z;r;g;b` …). Separators: spaces, tabs, commas or semicolons; `#` starts a comment.
///
/// What the columns are comes from, in order: `--columns` (a `ColumnSpec`), a header line of names
/// (`x y z red green blue`, CloudCompare's `//X,Y,Z,R,G,B`), or the column count with a guess by
/// value ranges (see `ColumnLayout.guess`), which is reported through `warn`.
public enum PointTextReader {
    public static func read(_ url: URL, columns: ColumnSpec? = nil, warn: (String) -> Void = { _ in }) throws -> PointCloud {
        let data = try FileBytes.load(url)
        return try data.withUnsafeBytes { try read(bytes: $0, path: url.path, columns: columns, warn: warn) }
    }

    public static func read(bytes: UnsafeRawBufferPointer, path: String, columns spec: ColumnSpec? = nil,
                            warn: (String) -> Void = { _ in }) throws -> PointCloud {
        let table = try Table(bytes: bytes, path: path)
        let names: [String]
        if let spec {
            guard spec.names.count == table.width else {
                throw FileError(path, "--columns names \(spec.names.count) columns, but the file's lines have \(table.width)")
            }
            names = spec.names
        } else if let header = table.header {
            names = header
            guard ["x", "y", "z"].allSatisfy(names.contains) else {
                throw FileError(path, "header line names no x, y, z columns (found \(names.joined(separator: " "))); name them with --columns")
            }
        } else {
            let (guessed, warning) = try ColumnLayout.guess(width: table.width, values: table.values, path: path)
            if let warning { warn(warning) }
            names = guessed
        }
        return try ColumnLayout.columns(names: names, values: table.values, width: table.width, noun: "point").assemble(path: path)
    }

    /// The numbers of the file, row-major, and the header line's names if it had one.
    struct Table {
        var values: [Float] = []
        var width = 0
        var header: [String]? = nil

        init(bytes: UnsafeRawBufferPointer, path: String) throws {
            guard let raw = bytes.baseAddress, !bytes.isEmpty else { throw FileError(path, "empty file") }
            let base = raw.assumingMemoryBound(to: UInt8.self)
            let parser = NumberParser()
            @inline(__always) func isSeparator(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D || c == 0x2C || c == 0x3B }
            var lineNumber = 0
            var position = 0
            let end = bytes.count
            var row: [Float] = []
            var firstContentLine = true
            while position < end {
                lineNumber += 1
                var lineEnd = position
                while lineEnd < end && base[lineEnd] != 0x0A { lineEnd += 1 }
                var p = position
                position = lineEnd + 1
                // CloudCompare writes its header as a "//X,Y,Z" line.
                if firstContentLine && lineEnd - p >= 2 && base[p] == 0x2F && base[p + 1] == 0x2F { p += 2 }
                row.removeAll(keepingCapacity: true)
                var names: [String] = []
                while p < lineEnd {
                    let c = base[p]
                    if isSeparator(c) { p += 1; continue }
                    if c == 0x23 { break }
                    let start = p
                    while p < lineEnd && !isSeparator(base[p]) && base[p] != 0x23 { p += 1 }
                    if let v = parser.parseFloat(base + start, p - start), names.isEmpty {
                        row.append(v)
                        continue
                    }
                    let token = String(decoding: UnsafeBufferPointer(start: base + start, count: min(p - start, 40)), as: UTF8.self)
                    // Names on the first line with content make a header; anywhere else it is an error.
                    guard firstContentLine, row.isEmpty, let first = token.first, first.isLetter || first == "_" else {
                        throw FileError(path, "line \(lineNumber): '\(token)' is not a number")
                    }
                    names.append(token.lowercased())
                }
                if row.isEmpty && names.isEmpty { continue }
                firstContentLine = false
                if !names.isEmpty {
                    header = names.map { $0 == "red" ? "r" : $0 == "green" ? "g" : $0 == "blue" ? "b" : $0 }
                    width = names.count
                    continue
                }
                if width == 0 {
                    width = row.count
                } else if row.count != width {
                    let what = header != nil && values.isEmpty ? "the header names" : "earlier lines have"
                    throw FileError(path, "line \(lineNumber): \(row.count) columns where \(what) \(width)")
                }
                values.append(contentsOf: row)
            }
            guard !values.isEmpty else { throw FileError(path, "contains no points") }
        }
    }
}
