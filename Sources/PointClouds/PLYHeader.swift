import PointADSupport

/// The header of a PLY file: format, elements with their properties, and where the data starts.
public struct PLYHeader: Sendable, Equatable {
    public enum Format: String, Sendable {
        case ascii
        case binaryLittleEndian = "binary_little_endian"
        case binaryBigEndian = "binary_big_endian"
    }

    public struct Property: Sendable, Equatable {
        public var name: String
        public var type: ScalarType
        /// For `property list <count> <item> name`: the count type (`type` is the item type).
        public var listCountType: ScalarType?
        public var isList: Bool { listCountType != nil }
    }

    public struct Element: Sendable, Equatable {
        public var name: String
        public var count: Int
        public var properties: [Property]
    }

    public var format: Format
    public var elements: [Element]
    public var comments: [String]
    /// Byte offset of the first data byte (just after the `end_header` line).
    public var dataOffset: Int

    /// Headers longer than this are refused: no real writer comes close, and a missing
    /// `end_header` must not make us scan a multi-gigabyte binary file as text.
    static let maximumLength = 1 << 20

    /// Parses the header. `lenient` treats unknown header lines as comments (Blender 2.4x wrote
    /// `Created by …` without the `comment` keyword; plyfile and Open3D reject such files).
    static func parse(_ bytes: UnsafeRawBufferPointer, path: String, lenient: Bool = false) throws -> PLYHeader {
        let limit = min(bytes.count, maximumLength)
        var lines: [(text: Substring, number: Int)] = []
        var start = 0
        var dataOffset: Int? = nil
        var lineNumber = 0
        while start < limit {
            var end = start
            while end < limit && bytes[end] != 0x0A { end += 1 }
            guard end < limit || end == bytes.count else { break }
            lineNumber += 1
            let raw = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            let text = raw.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" }).reversed()
            let line = Substring(String(text))
            start = end + 1
            if line == "end_header" || line.hasPrefix("end_header ") {
                dataOffset = min(start, bytes.count)
                break
            }
            lines.append((line, lineNumber))
        }
        guard let first = lines.first, first.text == "ply" else {
            throw FileError(path, bytes.isEmpty ? "empty file" : "not a PLY file (the first line is not 'ply')")
        }
        guard let dataOffset else {
            throw FileError(path, "PLY header has no 'end_header' line" + (bytes.count > maximumLength ? " in its first \(maximumLength) bytes" : ""))
        }

        var format: Format? = nil
        var elements: [Element] = []
        var comments: [String] = []
        for (line, number) in lines.dropFirst() {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let keyword = words.first else { continue }
            func fail(_ problem: String) -> FileError { FileError(path, "PLY header line \(number): \(problem)") }
            switch keyword {
            case "comment", "obj_info":
                comments.append(String(line.dropFirst(keyword.count).drop(while: { $0 == " " || $0 == "\t" })))
            case "format":
                guard words.count >= 2, let f = Format(rawValue: words[1]) else {
                    throw fail("unknown format '\(words.dropFirst().joined(separator: " "))' (expected ascii, binary_little_endian or binary_big_endian)")
                }
                guard format == nil else { throw fail("a second 'format' line") }
                format = f
            case "element":
                guard words.count == 3 else { throw fail("expected 'element <name> <count>', found '\(line)'") }
                guard let count = Int(words[2]), count >= 0 else {
                    throw fail("element '\(words[1])' has an invalid count '\(words[2])'")
                }
                elements.append(Element(name: words[1], count: count, properties: []))
            case "property":
                guard !elements.isEmpty else { throw fail("'property' before any 'element'") }
                if words.count >= 2 && words[1] == "list" {
                    guard words.count == 5 else { throw fail("expected 'property list <count type> <item type> <name>', found '\(line)'") }
                    guard let countType = ScalarType(plyName: words[2]), countType.isInteger else {
                        throw fail("list count type '\(words[2])' is not an integer type")
                    }
                    guard let itemType = ScalarType(plyName: words[3]) else { throw fail("unknown property type '\(words[3])'") }
                    elements[elements.count - 1].properties.append(Property(name: words[4], type: itemType, listCountType: countType))
                } else {
                    guard words.count == 3 else { throw fail("expected 'property <type> <name>', found '\(line)'") }
                    guard let type = ScalarType(plyName: words[1]) else { throw fail("unknown property type '\(words[1])'") }
                    elements[elements.count - 1].properties.append(Property(name: words[2], type: type, listCountType: nil))
                }
            default:
                if lenient {
                    comments.append(String(line))
                } else {
                    throw fail("unknown header keyword '\(keyword)' (expected comment, obj_info, element, property or end_header)")
                }
            }
        }
        guard let format else { throw FileError(path, "PLY header has no 'format' line") }
        return PLYHeader(format: format, elements: elements, comments: comments, dataOffset: dataOffset)
    }

    /// The element holding the points: `vertex`, else the first element with x, y and z.
    var pointElementIndex: Int? {
        if let i = elements.firstIndex(where: { $0.name == "vertex" }) { return i }
        return elements.firstIndex { e in ["x", "y", "z"].allSatisfy { n in e.properties.contains { $0.name == n && !$0.isList } } }
    }
}
