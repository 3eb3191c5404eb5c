import Foundation
import PointADSupport

/// Reads PLY point clouds: ascii, binary little- and big-endian; any properties in any order;
/// other elements (faces, edges, cameras) and list properties are walked over and skipped.
/// Every declared count is checked against the bytes actually present before anything is
/// allocated, so a lying header is an error, never a huge allocation.
public enum PLYReader {
    public static func read(_ url: URL, lenient: Bool = false) throws -> PointCloud {
        try readWithHeader(url, lenient: lenient).cloud
    }

    static func readWithHeader(_ url: URL, lenient: Bool = false) throws -> (cloud: PointCloud, header: PLYHeader) {
        let data = try FileBytes.load(url)
        return try data.withUnsafeBytes { try read(bytes: $0, path: url.path, lenient: lenient) }
    }

    /// Parses PLY bytes already in memory; `path` names the file in errors.
    public static func read(bytes: UnsafeRawBufferPointer, path: String, lenient: Bool = false) throws -> (cloud: PointCloud, header: PLYHeader) {
        let header = try PLYHeader.parse(bytes, path: path, lenient: lenient)
        guard let pointIndex = header.pointElementIndex else {
            throw FileError(path, "no 'vertex' element (elements: \(header.elements.map(\.name).joined(separator: ", ")))")
        }
        let element = header.elements[pointIndex]
        guard element.count > 0 else { throw FileError(path, "contains no points (element \(element.name) 0)") }
        let columns = header.format == .ascii
            ? try readASCII(bytes, header: header, pointIndex: pointIndex, path: path)
            : try readBinary(bytes, header: header, pointIndex: pointIndex, path: path)
        return (try columns.assemble(path: path), header)
    }

    /// Float buffers for the scalar properties of the point element; copied into arrays at the end.
    private final class ColumnBuffers {
        let pointers: [UnsafeMutablePointer<Float>]
        let count: Int
        init(columns: Int, count: Int) {
            self.count = count
            pointers = (0..<columns).map { _ in
                let p = UnsafeMutablePointer<Float>.allocate(capacity: count)
                p.initialize(repeating: 0, count: count)
                return p
            }
        }
        deinit { for p in pointers { p.deallocate() } }
        func array(_ i: Int) -> [Float] { Array(UnsafeBufferPointer(start: pointers[i], count: count)) }
    }

    /// Maps each property of the point element to its column (nil for lists).
    private static func columnIndices(_ element: PLYHeader.Element) -> [Int?] {
        var next = 0
        return element.properties.map { p in
            if p.isList { return nil }
            defer { next += 1 }
            return next
        }
    }

    private static func makeColumns(_ element: PLYHeader.Element, _ buffers: ColumnBuffers) -> PointColumns {
        var result = PointColumns(count: element.count, noun: element.name)
        var i = 0
        for p in element.properties where !p.isList {
            result.columns.append(.init(name: p.name, type: p.type, values: buffers.array(i)))
            i += 1
        }
        return result
    }

    // MARK: binary

    private static func readBinary(_ bytes: UnsafeRawBufferPointer, header: PLYHeader, pointIndex: Int, path: String) throws -> PointColumns {
        let bigEndian = header.format == .binaryBigEndian
        let size = bytes.count
        guard let base = bytes.baseAddress else { throw FileError(path, "empty file") }
        var offset = header.dataOffset
        var result: PointColumns? = nil
        for (elementIndex, element) in header.elements.enumerated() {
            let isPoints = elementIndex == pointIndex
            let remaining = size - offset
            let minimumRow = element.properties.reduce(0) { $0 + ($1.listCountType?.size ?? $1.type.size) }
            let (minimumBytes, overflow) = element.count.multipliedReportingOverflow(by: minimumRow)
            guard !overflow, minimumBytes <= remaining else {
                throw FileError(path, "element '\(element.name)' declares \(element.count) rows of at least \(minimumRow) bytes, "
                    + "but only \(remaining) bytes remain (truncated file or wrong count)")
            }
            let hasLists = element.properties.contains(where: \.isList)
            let buffers = isPoints ? ColumnBuffers(columns: element.properties.filter { !$0.isList }.count, count: element.count) : nil
            if !hasLists {
                // Fixed-size rows: decode each property as a strided column.
                if let buffers {
                    var propertyOffset = 0
                    var column = 0
                    for p in element.properties {
                        p.type.decodeColumn(base + offset + propertyOffset, count: element.count, stride: minimumRow,
                                            bigEndian: bigEndian, into: buffers.pointers[column])
                        propertyOffset += p.type.size
                        column += 1
                    }
                }
                offset += minimumBytes
            } else {
                let targets = columnIndices(element)
                var o = offset
                for row in 0..<element.count {
                    for (pi, p) in element.properties.enumerated() {
                        if let countType = p.listCountType {
                            guard countType.size <= size - o else { throw cutOff(path, element, row, p) }
                            guard let n = countType.loadInteger(base + o, bigEndian: bigEndian), n >= 0 else {
                                throw FileError(path, "element '\(element.name)' row \(row): list '\(p.name)' has a negative count")
                            }
                            o += countType.size
                            let (listBytes, listOverflow) = n.multipliedReportingOverflow(by: p.type.size)
                            guard !listOverflow, listBytes <= size - o else { throw cutOff(path, element, row, p) }
                            o += listBytes
                        } else {
                            guard p.type.size <= size - o else { throw cutOff(path, element, row, p) }
                            if let buffers, let column = targets[pi] {
                                buffers.pointers[column][row] = Float(p.type.load(base + o, bigEndian: bigEndian))
                            }
                            o += p.type.size
                        }
                    }
                }
                offset = o
            }
            if let buffers { result = makeColumns(element, buffers) }
        }
        // Some writers end the file with a line break; anything more means the counts are wrong.
        let trailing = UnsafeRawBufferPointer(rebasing: bytes[offset...])
        if !(trailing.count <= 2 && trailing.allSatisfy { $0 == 0x0A || $0 == 0x0D }) {
            throw FileError(path, "\(size - offset) unexpected bytes after the last element (the header's counts are too small?)")
        }
        return result!
    }

    private static func cutOff(_ path: String, _ element: PLYHeader.Element, _ row: Int, _ p: PLYHeader.Property) -> FileError {
        FileError(path, "element '\(element.name)' row \(row) of \(element.count) is cut off at property '\(p.name)' (truncated file or wrong count)")
    }

    // MARK: ascii

    private static func readASCII(_ bytes: UnsafeRawBufferPointer, header: PLYHeader, pointIndex: Int, path: String) throws -> PointColumns {
        guard let raw = bytes.baseAddress else { throw FileError(path, "empty file") }
        let base = raw.assumingMemoryBound(to: UInt8.self)
        var cursor = TextCursor(base, start: header.dataOffset, end: bytes.count)
        let parser = NumberParser()
        var result: PointColumns? = nil
        for (elementIndex, element) in header.elements.enumerated() {
            let isPoints = elementIndex == pointIndex
            // Every property needs at least one token, and tokens take at least 2 bytes but the last.
            let remaining = bytes.count - cursor.position
            let (minimumTokens, overflow) = element.count.multipliedReportingOverflow(by: element.properties.count)
            guard !overflow, minimumTokens <= (remaining + 1) / 2 else {
                throw FileError(path, "element '\(element.name)' declares \(element.count) rows of \(element.properties.count) values, "
                    + "but only \(remaining) bytes remain (truncated file or wrong count)")
            }
            let buffers = isPoints ? ColumnBuffers(columns: element.properties.filter { !$0.isList }.count, count: element.count) : nil
            let targets = columnIndices(element)
            func fail(_ row: Int, _ p: PLYHeader.Property, _ problem: String, at offset: Int) -> FileError {
                FileError(path, "line \(cursor.lineNumber(at: offset)): element '\(element.name)' row \(row) property '\(p.name)': \(problem)")
            }
            for row in 0..<element.count {
                for (pi, p) in element.properties.enumerated() {
                    guard let token = cursor.nextToken() else {
                        throw fail(row, p, "the file ends early (\(element.count) rows declared)", at: bytes.count)
                    }
                    if p.isList {
                        guard let n = parser.parseDouble(base + token.start, token.length), n >= 0, n == n.rounded(), n <= Double(bytes.count) else {
                            throw fail(row, p, "list count '\(cursor.text(token))' is not a non-negative integer", at: token.start)
                        }
                        for _ in 0..<Int(n) {
                            guard cursor.nextToken() != nil else { throw fail(row, p, "the file ends inside the list", at: bytes.count) }
                        }
                    } else if let buffers, let column = targets[pi] {
                        let value: Float?
                        if p.type == .float32 {
                            value = parser.parseFloat(base + token.start, token.length)
                        } else {
                            let number = parser.parseDouble(base + token.start, token.length)
                            if let number, let problem = p.type.problem(storing: number) {
                                throw fail(row, p, "'\(cursor.text(token))' \(problem)", at: token.start)
                            }
                            value = number.map { Float($0) }
                        }
                        guard let value else { throw fail(row, p, "'\(cursor.text(token))' is not a number", at: token.start) }
                        buffers.pointers[column][row] = value
                    }
                }
            }
            if let buffers { result = makeColumns(element, buffers) }
        }
        if !cursor.atEndIgnoringWhitespace() {
            let token = cursor.nextToken()!
            throw FileError(path, "line \(cursor.lineNumber(at: token.start)): unexpected data '\(cursor.text(token))' after the last element (the header's counts are too small?)")
        }
        return result!
    }
}
