import Foundation

/// NumPy `.npy` files (format versions 1–3), so scores and labels travel to and from Python
/// (`numpy.load`) without conversion. Writes little-endian C-order arrays atomically; reads every
/// plain numeric dtype in either byte order and converts on request.
public enum NPYFile {
    /// The element types pointad reads and writes.
    public enum DType: Sendable, Equatable {
        case float32, float64, int8, uint8, int16, uint16, int32, uint32, int64, uint64, bool

        var size: Int {
            switch self {
            case .int8, .uint8, .bool: 1
            case .int16, .uint16: 2
            case .float32, .int32, .uint32: 4
            case .float64, .int64, .uint64: 8
            }
        }

        var code: String {
            switch self {
            case .float32: "f4"; case .float64: "f8"; case .int8: "i1"; case .uint8: "u1"; case .int16: "i2"
            case .uint16: "u2"; case .int32: "i4"; case .uint32: "u4"; case .int64: "i8"; case .uint64: "u8"; case .bool: "b1"
            }
        }

        init?(code: String) {
            guard let match = [DType.float32, .float64, .int8, .uint8, .int16, .uint16, .int32, .uint32, .int64, .uint64, .bool]
                .first(where: { $0.code == code }) else { return nil }
            self = match
        }
    }

    /// An array as read from a file: shape, element type and the raw little-endian element bytes.
    public struct Contents: Sendable {
        public let shape: [Int]
        public let dtype: DType
        let bytes: Data

        public var count: Int { shape.reduce(1, *) }

        /// The elements converted to Float (C order).
        public func floats() -> [Float] { convert { Float($0) } }

        /// The elements converted to Int32, or nil when one is not an integer in Int32's range.
        public func int32s() -> [Int32]? {
            var exact = true
            let values: [Int32] = convert { v in
                guard let i = Int32(exactly: v) else { exact = false; return 0 }
                return i
            }
            return exact ? values : nil
        }

        private func convert<T>(_ make: (Double) -> T) -> [T] {
            bytes.withUnsafeBytes { raw in
                (0..<count).map { i in
                    let o = i * dtype.size
                    switch dtype {
                    case .float32: return make(Double(Float(bitPattern: raw.loadUnaligned(fromByteOffset: o, as: UInt32.self))))
                    case .float64: return make(Double(bitPattern: raw.loadUnaligned(fromByteOffset: o, as: UInt64.self)))
                    case .int8: return make(Double(raw.loadUnaligned(fromByteOffset: o, as: Int8.self)))
                    case .uint8, .bool: return make(Double(raw[o]))
                    case .int16: return make(Double(raw.loadUnaligned(fromByteOffset: o, as: Int16.self)))
                    case .uint16: return make(Double(raw.loadUnaligned(fromByteOffset: o, as: UInt16.self)))
                    case .int32: return make(Double(raw.loadUnaligned(fromByteOffset: o, as: Int32.self)))
                    case .uint32: return make(Double(raw.loadUnaligned(fromByteOffset: o, as: UInt32.self)))
                    case .int64: return make(Double(raw.loadUnaligned(fromByteOffset: o, as: Int64.self)))
                    case .uint64: return make(Double(raw.loadUnaligned(fromByteOffset: o, as: UInt64.self)))
                    }
                }
            }
        }
    }

    // MARK: - Writing

    /// Writes float32 values (shape defaults to one dimension).
    public static func write(_ values: [Float], shape: [Int]? = nil, to url: URL) throws {
        try write(values.withUnsafeBytes { Data($0) }, dtype: .float32, count: values.count, shape: shape, to: url)
    }

    /// Writes int32 values.
    public static func write(_ values: [Int32], shape: [Int]? = nil, to url: URL) throws {
        try write(values.withUnsafeBytes { Data($0) }, dtype: .int32, count: values.count, shape: shape, to: url)
    }

    /// Writes uint8 values.
    public static func write(_ values: [UInt8], shape: [Int]? = nil, to url: URL) throws {
        try write(Data(values), dtype: .uint8, count: values.count, shape: shape, to: url)
    }

    /// The complete file for little-endian element bytes: version 1.0 header padded to 64 bytes.
    static func encode(_ elements: Data, dtype: DType, shape: [Int]) -> Data {
        let order = dtype.size == 1 ? "|" : "<"
        let dims = shape.count == 1 ? "\(shape[0])," : shape.map(String.init).joined(separator: ", ")
        var header = "{'descr': '\(order)\(dtype.code)', 'fortran_order': False, 'shape': (\(dims)), }"
        let total = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - total % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(contentsOf: header.utf8)
        data.append(elements)
        return data
    }

    private static func write(_ elements: Data, dtype: DType, count: Int, shape: [Int]?, to url: URL) throws {
        let shape = shape ?? [count]
        guard shape.reduce(1, *) == count, shape.allSatisfy({ $0 >= 0 }) else {
            throw FileError(url.path, "shape \(shape) does not hold \(count) values")
        }
        try AtomicFile.write(encode(elements, dtype: dtype, shape: shape), to: url)
    }

    // MARK: - Reading

    /// Reads an array; every problem is reported with the file's path.
    public static func read(_ url: URL) throws -> Contents {
        let data: Data
        do { data = try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw FileError(url.path, FileManager.default.fileExists(atPath: url.path) ? "cannot read: \(error.localizedDescription)" : "no such file")
        }
        return try decode(data, path: url.path)
    }

    public static func decode(_ data: Data, path: String) throws -> Contents {
        let bytes = [UInt8](data.prefix(12))
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
            throw FileError(path, "not a .npy file (bad magic)")
        }
        let major = bytes[6]
        let headerLength: Int, headerStart: Int
        switch major {
        case 1: headerLength = Int(bytes[8]) | Int(bytes[9]) << 8; headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw FileError(path, "truncated .npy header") }
            headerLength = (8..<12).reduce(0) { $0 | Int(bytes[$1]) << (8 * ($1 - 8)) }; headerStart = 12
        default: throw FileError(path, "unsupported .npy version \(major)")
        }
        guard headerStart + headerLength <= data.count,
              let header = String(data: data.subdata(in: (data.startIndex + headerStart)..<(data.startIndex + headerStart + headerLength)), encoding: .utf8)
        else { throw FileError(path, "truncated or unreadable .npy header") }
        guard let descr = field("descr", in: header), descr.count >= 3 else { throw FileError(path, "npy header has no 'descr'") }
        let byteOrder = descr.first!, code = String(descr.dropFirst())
        guard let dtype = DType(code: code), "<>|=".contains(byteOrder) else {
            throw FileError(path, "unsupported npy dtype '\(descr)' (plain numeric types only)")
        }
        if field("fortran_order", in: header) == "True" { throw FileError(path, "Fortran-order arrays are not supported") }
        guard let shapeText = field("shape", in: header) else { throw FileError(path, "npy header has no 'shape'") }
        let parts = shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "()")).split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let shape = parts.compactMap { Int($0) }
        guard shape.count == parts.count, shape.allSatisfy({ $0 >= 0 }) else { throw FileError(path, "bad npy shape (\(shapeText))") }
        // Check the declared size against the file before allocating anything from it.
        var count = 1
        for d in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow else { throw FileError(path, "npy shape \(shape) is too large") }
            count = product
        }
        let payloadStart = headerStart + headerLength
        let (needed, overflow) = count.multipliedReportingOverflow(by: dtype.size)
        guard !overflow, data.count - payloadStart >= needed else {
            throw FileError(path, "npy data truncated: shape \(shape) of \(descr) needs \(needed) bytes, file has \(data.count - payloadStart)")
        }
        var payload = data.subdata(in: (data.startIndex + payloadStart)..<(data.startIndex + payloadStart + needed))
        if byteOrder == ">" && dtype.size > 1 {
            payload.withUnsafeMutableBytes { raw in
                for i in 0..<count { raw[(i * dtype.size)..<((i + 1) * dtype.size)].reverse() }
            }
        }
        return Contents(shape: shape, dtype: dtype, bytes: payload)
    }

    /// The value text of `'key': value` in the header dictionary (quotes removed).
    private static func field(_ key: String, in header: String) -> String? {
        guard let range = header.range(of: "'\(key)'") else { return nil }
        var rest = header[range.upperBound...].drop { $0 == " " || $0 == ":" }
        if rest.first == "(" {
            guard let close = rest.firstIndex(of: ")") else { return nil }
            return String(rest[...close])
        }
        if rest.first == "'" {
            rest = rest.dropFirst()
            return rest.firstIndex(of: "'").map { String(rest[..<$0]) }
        }
        return String(rest.prefix { $0 != "," && $0 != "}" }).trimmingCharacters(in: .whitespaces)
    }
}
