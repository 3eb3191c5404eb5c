import Foundation
import PointADSupport

/// Reads PCL PCD files: ascii, binary (array of structures) and binary_compressed (LZF over a
/// structure of arrays); any fields in any order, COUNT > 1, `_` padding, F4/F8 and integer
/// types, and `rgb`/`rgba` packed as float or unsigned. Organised clouds (HEIGHT > 1) keep
/// NaN "no return" points out of the cloud and record the grid; elsewhere NaN is an error.
public enum PCDReader {
    public static func read(_ url: URL) throws -> PointCloud {
        try readWithHeader(url).cloud
    }

    static func readWithHeader(_ url: URL) throws -> (cloud: PointCloud, header: PCDHeader) {
        let data = try FileBytes.load(url)
        return try data.withUnsafeBytes { try read(bytes: $0, path: url.path) }
    }

    /// Parses PCD bytes already in memory; `path` names the file in errors.
    public static func read(bytes: UnsafeRawBufferPointer, path: String) throws -> (cloud: PointCloud, header: PCDHeader) {
        let header = try PCDHeader.parse(bytes, path: path)
        guard header.points > 0 else { throw FileError(path, "contains no points (POINTS 0)") }
        var columns: PointColumns
        switch header.encoding {
        case .ascii: columns = try readASCII(bytes, header: header, path: path)
        case .binary: columns = try readBinary(bytes, header: header, path: path)
        case .binaryCompressed: columns = try readCompressed(bytes, header: header, path: path)
        }
        columns.noun = "point"
        let invalid: PointColumns.InvalidPoints = header.height > 1 ? .dropIntoGrid(width: header.width, height: header.height) : .reject
        return (try columns.assemble(path: path, invalid: invalid), header)
    }

    static func isPacked(_ field: PCDHeader.Field) -> Bool {
        (field.name == "rgb" || field.name == "rgba") && field.type.size == 4 && field.count == 1
    }

    /// Output columns in header order: packed colours become red/green/blue(/alpha) bytes,
    /// COUNT > 1 fields become name[0], name[1], …, and `_` padding is dropped.
    private struct Layout {
        struct Target { var field: Int; var element: Int; var column: Int }
        var columns: [PointColumns.Column] = []
        var targets: [Target] = []       // plain values
        var packed: [(field: Int, column: Int, alpha: Bool)] = []

        init(_ header: PCDHeader, count: Int) {
            func add(_ name: String, _ type: ScalarType) -> Int {
                columns.append(.init(name: name, type: type, values: [Float](repeating: 0, count: count)))
                return columns.count - 1
            }
            for (f, field) in header.fields.enumerated() where field.name != "_" {
                if PCDReader.isPacked(field) {
                    let c = add("red", .uint8); _ = add("green", .uint8); _ = add("blue", .uint8)
                    let alpha = field.name == "rgba"
                    if alpha { _ = add("alpha", .uint8) }
                    packed.append((f, c, alpha))
                } else if field.count == 1 {
                    targets.append(Target(field: f, element: 0, column: add(field.name, field.type)))
                } else {
                    for k in 0..<field.count { targets.append(Target(field: f, element: k, column: add("\(field.name)[\(k)]", field.type))) }
                }
            }
        }

        /// Splits packed 0xAARRGGBB words into colour columns.
        mutating func unpack(_ words: [UInt32], into first: Int, alpha: Bool) {
            for i in 0..<words.count {
                let v = words[i]
                columns[first].values[i] = Float((v >> 16) & 0xFF)
                columns[first + 1].values[i] = Float((v >> 8) & 0xFF)
                columns[first + 2].values[i] = Float(v & 0xFF)
                if alpha { columns[first + 3].values[i] = Float(v >> 24) }
            }
        }
    }

    /// Decodes binary data in which field f, element k of point i sits at
    /// `fieldBase[f] + i·stride[f] + k·size`: AoS (binary) and SoA (binary_compressed) alike.
    private static func decode(_ base: UnsafeRawPointer, header: PCDHeader, fieldBase: [Int], stride: [Int]) -> PointColumns {
        let n = header.points
        var layout = Layout(header, count: n)
        for t in layout.targets {
            let field = header.fields[t.field]
            layout.columns[t.column].values.withUnsafeMutableBufferPointer { out in
                field.type.decodeColumn(base + fieldBase[t.field] + t.element * field.type.size, count: n,
                                        stride: stride[t.field], bigEndian: false, into: out.baseAddress!)
            }
        }
        for p in layout.packed {
            var words = [UInt32](repeating: 0, count: n)
            let start = base + fieldBase[p.field], step = stride[p.field]
            for i in 0..<n { words[i] = UInt32(littleEndian: (start + i * step).loadUnaligned(as: UInt32.self)) }
            layout.unpack(words, into: p.column, alpha: p.alpha)
        }
        return PointColumns(count: n, columns: layout.columns, noun: "point")
    }

    private static func payloadSize(_ header: PCDHeader, path: String) throws -> Int {
        let (bytes, overflow) = header.points.multipliedReportingOverflow(by: header.pointStep)
        guard !overflow else { throw FileError(path, "POINTS \(header.points) × \(header.pointStep) bytes overflows") }
        return bytes
    }

    private static func readBinary(_ bytes: UnsafeRawBufferPointer, header: PCDHeader, path: String) throws -> PointColumns {
        let needed = try payloadSize(header, path: path)
        let remaining = bytes.count - header.dataOffset
        guard needed <= remaining else {
            throw FileError(path, "binary data is \(remaining) bytes but POINTS \(header.points) × \(header.pointStep) bytes needs \(needed) (truncated file or wrong POINTS)")
        }
        var offsets: [Int] = []
        var o = 0
        for f in header.fields { offsets.append(o); o += f.byteSize }
        let step = header.pointStep
        return decode(bytes.baseAddress! + header.dataOffset, header: header, fieldBase: offsets, stride: offsets.map { _ in step })
    }

    private static func readCompressed(_ bytes: UnsafeRawBufferPointer, header: PCDHeader, path: String) throws -> PointColumns {
        let needed = try payloadSize(header, path: path)
        let start = header.dataOffset
        guard bytes.count - start >= 8 else { throw FileError(path, "binary_compressed data is missing its 8-byte size header") }
        let base = bytes.baseAddress!
        let compressedSize = Int(UInt32(littleEndian: (base + start).loadUnaligned(as: UInt32.self)))
        let uncompressedSize = Int(UInt32(littleEndian: (base + start + 4).loadUnaligned(as: UInt32.self)))
        guard uncompressedSize == needed else {
            throw FileError(path, "binary_compressed data unpacks to \(uncompressedSize) bytes but POINTS \(header.points) × \(header.pointStep) bytes needs \(needed)")
        }
        guard compressedSize <= bytes.count - start - 8 else {
            throw FileError(path, "binary_compressed data declares \(compressedSize) compressed bytes but only \(bytes.count - start - 8) follow (truncated file)")
        }
        // An LZF back reference expands 3 bytes into at most 264: refuse sizes no stream could reach
        // before allocating.
        guard uncompressedSize <= compressedSize * 88 + 64 else {
            throw FileError(path, "binary_compressed data claims \(uncompressedSize) bytes from \(compressedSize) compressed bytes (impossible for LZF)")
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(uncompressedSize, 1), alignment: 16)
        defer { buffer.deallocate() }
        let source = UnsafeRawBufferPointer(start: base + start + 8, count: compressedSize)
        let target = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<uncompressedSize])
        guard let produced = LZF.decompress(source, into: target), produced == uncompressedSize else {
            throw FileError(path, "binary_compressed data is corrupt (LZF stream does not unpack to \(uncompressedSize) bytes)")
        }
        var fieldBase: [Int] = []
        var o = 0
        for f in header.fields { fieldBase.append(o); o += f.byteSize * header.points }
        return decode(UnsafeRawPointer(buffer.baseAddress!), header: header, fieldBase: fieldBase, stride: header.fields.map(\.byteSize))
    }

    private static func readASCII(_ bytes: UnsafeRawBufferPointer, header: PCDHeader, path: String) throws -> PointColumns {
        let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var cursor = TextCursor(base, start: header.dataOffset, end: bytes.count)
        let n = header.points
        let valuesPerPoint = header.fields.reduce(0) { $0 + $1.count }
        let remaining = bytes.count - header.dataOffset
        let (minimumTokens, overflow) = n.multipliedReportingOverflow(by: valuesPerPoint)
        guard !overflow, minimumTokens <= (remaining + 1) / 2 else {
            throw FileError(path, "POINTS \(n) with \(valuesPerPoint) values each cannot fit in the \(remaining) bytes of ascii data (truncated file or wrong POINTS)")
        }
        var layout = Layout(header, count: n)
        // Per field and element: the column it fills (-1 to skip), or the packed-colour slot.
        var plan: [(field: Int, column: Int)] = []
        for (f, field) in header.fields.enumerated() {
            for k in 0..<field.count {
                let column = layout.targets.first { $0.field == f && $0.element == k }?.column ?? -1
                plan.append((f, column))
            }
        }
        let packedSlot = Dictionary(uniqueKeysWithValues: layout.packed.enumerated().map { ($1.field, $0) })
        var words = [[UInt32]](repeating: [UInt32](repeating: 0, count: n), count: layout.packed.count)
        let parser = NumberParser()
        for i in 0..<n {
            for (f, column) in plan {
                let field = header.fields[f]
                guard let token = cursor.nextToken() else {
                    throw FileError(path, "point \(i) of \(n): the file ends early at field '\(field.name)'")
                }
                func bad() -> FileError {
                    FileError(path, "line \(cursor.lineNumber(at: token.start)): point \(i) field '\(field.name)': '\(cursor.text(token))' is not a number")
                }
                if let slot = packedSlot[f] {
                    // A packed colour is 4 raw bytes: printed as an integer (TYPE U/I) or as the float
                    // that has those bits (TYPE F); never convert the float numerically.
                    if field.type == .float32 {
                        guard let v = parser.parseFloat(base + token.start, token.length) else { throw bad() }
                        words[slot][i] = v.bitPattern
                    } else {
                        guard let v = parser.parseDouble(base + token.start, token.length), v >= -2147483648, v <= 4294967295 else { throw bad() }
                        words[slot][i] = v < 0 ? UInt32(bitPattern: Int32(v)) : UInt32(v)
                    }
                } else if column >= 0 {
                    let number = field.type == .float32 ? nil : parser.parseDouble(base + token.start, token.length)
                    if let number, let problem = field.type.problem(storing: number) {
                        throw FileError(path, "line \(cursor.lineNumber(at: token.start)): point \(i) field '\(field.name)': '\(cursor.text(token))' \(problem)")
                    }
                    let value = field.type == .float32 ? parser.parseFloat(base + token.start, token.length) : number.map { Float($0) }
                    guard let value else { throw bad() }
                    layout.columns[column].values[i] = value
                }
            }
        }
        for (slot, p) in layout.packed.enumerated() { layout.unpack(words[slot], into: p.column, alpha: p.alpha) }
        if !cursor.atEndIgnoringWhitespace() {
            let token = cursor.nextToken()!
            throw FileError(path, "line \(cursor.lineNumber(at: token.start)): unexpected data '\(cursor.text(token))' after \(n) points (POINTS too small?)")
        }
        return PointColumns(count: n, columns: layout.columns, noun: "point")
    }
}
