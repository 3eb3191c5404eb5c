import PointADSupport

/// The header of a PCL PCD file (v0.5–0.7): fields with size/type/count, organisation and encoding.
public struct PCDHeader: Sendable, Equatable {
    public enum Encoding: String, Sendable {
        case ascii, binary
        case binaryCompressed = "binary_compressed"
    }

    public struct Field: Sendable, Equatable {
        public var name: String
        public var type: ScalarType
        /// Elements per point (> 1 for descriptors such as fpfh 33).
        public var count: Int
        public var byteSize: Int { type.size * count }
    }

    public var fields: [Field]
    public var width: Int
    public var height: Int
    public var points: Int
    public var encoding: Encoding
    public var dataOffset: Int

    /// Bytes per point in binary encodings (no padding).
    public var pointStep: Int { fields.reduce(0) { $0 + $1.byteSize } }

    static let maximumLength = 1 << 16
    static let maximumFieldCount = 1 << 16

    static func parse(_ bytes: UnsafeRawBufferPointer, path: String) throws -> PCDHeader {
        var names: [String]? = nil, sizes: [Int]? = nil, types: [String]? = nil, counts: [Int]? = nil
        var width: Int? = nil, height: Int? = nil, points: Int? = nil
        var encoding: Encoding? = nil
        var start = 0
        var lineNumber = 0
        let limit = min(bytes.count, maximumLength)
        var sawKeyword = false
        while encoding == nil {
            guard start < limit else {
                if bytes.isEmpty { throw FileError(path, "empty file") }
                throw FileError(path, sawKeyword ? "PCD header has no DATA line" : "not a PCD file")
            }
            var end = start
            while end < limit && bytes[end] != 0x0A { end += 1 }
            lineNumber += 1
            let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            start = end + 1
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            guard let keyword = words.first, !keyword.hasPrefix("#") else { continue }
            let values = Array(words.dropFirst())
            func fail(_ problem: String) -> FileError { FileError(path, "PCD header line \(lineNumber): \(problem)") }
            func integers(_ minimum: Int) throws -> [Int] {
                try values.map {
                    guard let v = Int($0), v >= minimum else { throw fail("\(keyword) value '\($0)' is not an integer ≥ \(minimum)") }
                    return v
                }
            }
            func single(_ minimum: Int) throws -> Int {
                guard values.count == 1 else { throw fail("\(keyword) takes one value") }
                return try integers(minimum)[0]
            }
            sawKeyword = true
            switch keyword.uppercased() {
            case "VERSION", "VIEWPOINT": break
            case "FIELDS", "COLUMNS":
                guard !values.isEmpty, values.count <= maximumFieldCount else { throw fail("FIELDS lists \(values.count) fields") }
                names = values
            case "SIZE": sizes = try integers(1)
            case "TYPE": types = values
            case "COUNT": counts = try integers(1)
            case "WIDTH": width = try single(0)
            case "HEIGHT": height = try single(0)
            case "POINTS": points = try single(0)
            case "DATA":
                guard let v = values.first else { throw fail("DATA without an encoding") }
                // PCL matches by prefix, so test binary_compressed before binary.
                if v.hasPrefix("binary_compressed") { encoding = .binaryCompressed }
                else if v.hasPrefix("binary") { encoding = .binary }
                else if v.hasPrefix("ascii") { encoding = .ascii }
                else { throw fail("unknown DATA encoding '\(v)' (expected ascii, binary or binary_compressed)") }
            default:
                if lineNumber == 1 { throw FileError(path, "not a PCD file") }
                throw fail("unknown header keyword '\(keyword)'")
            }
        }
        guard let names else { throw FileError(path, "PCD header has no FIELDS line") }
        guard let sizes else { throw FileError(path, "PCD header has no SIZE line") }
        guard let types else { throw FileError(path, "PCD header has no TYPE line") }
        let fieldCounts = counts ?? [Int](repeating: 1, count: names.count)
        guard sizes.count == names.count, types.count == names.count, fieldCounts.count == names.count else {
            throw FileError(path, "PCD header: FIELDS (\(names.count)), SIZE (\(sizes.count)), TYPE (\(types.count)) and COUNT (\(fieldCounts.count)) differ in length")
        }
        var fields: [Field] = []
        for i in 0..<names.count {
            guard let type = ScalarType(pcdType: types[i], size: sizes[i]) else {
                throw FileError(path, "PCD field '\(names[i])': unsupported TYPE \(types[i]) with SIZE \(sizes[i])")
            }
            guard fieldCounts[i] <= 1 << 20 else { throw FileError(path, "PCD field '\(names[i])': COUNT \(fieldCounts[i]) is too large") }
            fields.append(Field(name: names[i], type: type, count: fieldCounts[i]))
        }
        let w = width ?? points ?? 0
        let h = height ?? 1
        let (product, overflow) = w.multipliedReportingOverflow(by: h)
        guard !overflow else { throw FileError(path, "PCD header: WIDTH \(w) × HEIGHT \(h) overflows") }
        let n = points ?? product
        guard n == product else { throw FileError(path, "PCD header: POINTS \(n) ≠ WIDTH \(w) × HEIGHT \(h)") }
        return PCDHeader(fields: fields, width: w, height: h, points: n, encoding: encoding!, dataOffset: min(start, bytes.count))
    }
}
