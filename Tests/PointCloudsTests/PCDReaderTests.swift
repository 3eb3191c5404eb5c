import Foundation
import PointADSupport
import Testing
@testable import PointClouds

/// PCD files written byte by byte by the test (ascii, binary, binary_compressed), read back bit-exactly.
@Suite struct PCDReaderTests {
    /// Fields in a scrambled order with padding, COUNT 3, F8, integer types and packed colour.
    struct Field { var name: String; var size: Int; var type: String; var count: Int }
    static let fields = [
        Field(name: "intensity", size: 4, type: "F", count: 1),
        Field(name: "z", size: 8, type: "F", count: 1),
        Field(name: "_", size: 1, type: "U", count: 3),
        Field(name: "rgb", size: 4, type: "F", count: 1),
        Field(name: "x", size: 4, type: "F", count: 1),
        Field(name: "hist", size: 2, type: "I", count: 3),
        Field(name: "y", size: 4, type: "F", count: 1),
        Field(name: "label", size: 4, type: "U", count: 1),
        Field(name: "ring", size: 1, type: "I", count: 1),
    ]

    static func plyType(_ f: Field) -> String {
        switch (f.type, f.size) {
        case ("F", 4): "float"
        case ("F", 8): "double"
        case ("I", 1): "char"
        case ("U", 1): "uchar"
        case ("I", 2): "short"
        case ("U", 2): "ushort"
        case ("I", 4): "int"
        default: "uint"
        }
    }

    /// Values per point: one array per field element; rgb is a 0x00RRGGBB word.
    static func values(count: Int, seed: UInt64) -> [[Double]] {
        var rng = SplitMix64(seed: seed)
        var columns: [[Double]] = []
        for f in fields {
            for _ in 0..<f.count {
                if f.name == "rgb" {
                    columns.append((0..<count).map { _ in Double(UInt32.random(in: 0...0xFF_FFFF, using: &rng)) })
                } else {
                    columns.append((0..<count).map { _ in TestFiles.value(for: plyType(f), using: &rng) })
                }
            }
        }
        return columns
    }

    static func header(points: Int, encoding: String, width: Int? = nil, height: Int = 1) -> String {
        """
        # .PCD v0.7 - Point Cloud Data file format
        VERSION 0.7
        FIELDS \(fields.map(\.name).joined(separator: " "))
        SIZE \(fields.map { String($0.size) }.joined(separator: " "))
        TYPE \(fields.map(\.type).joined(separator: " "))
        COUNT \(fields.map { String($0.count) }.joined(separator: " "))
        WIDTH \(width ?? points)
        HEIGHT \(height)
        VIEWPOINT 0 0 0 1 0 0 0
        POINTS \(points)
        DATA \(encoding)

        """
    }

    /// One element's bytes; the rgb field is 4 raw bytes B G R 0 reinterpreted by TYPE F.
    static func elementBytes(_ field: Field, _ value: Double) -> [UInt8] {
        if field.name == "rgb" { return TestFiles.bytes(value, type: "uint", bigEndian: false) }
        return TestFiles.bytes(value, type: plyType(field), bigEndian: false)
    }

    static func makeFile(encoding: String, count: Int = 29, seed: UInt64 = 3) -> (bytes: [UInt8], values: [[Double]]) {
        let values = values(count: count, seed: seed)
        var bytes = Array(header(points: count, encoding: encoding).utf8)
        switch encoding {
        case "ascii":
            var text = ""
            for i in 0..<count {
                var tokens: [String] = []
                var c = 0
                for f in fields {
                    for _ in 0..<f.count {
                        let v = values[c][i]
                        if f.name == "rgb" { tokens.append("\(Float(bitPattern: UInt32(v)))") } else { tokens.append(TestFiles.text(v, type: plyType(f))) }
                        c += 1
                    }
                }
                text += tokens.joined(separator: i % 2 == 0 ? " " : "\t") + (i % 3 == 0 ? " \n" : "\n")
            }
            bytes += Array(text.utf8)
        case "binary":
            for i in 0..<count {
                var c = 0
                for f in fields { for _ in 0..<f.count { bytes += elementBytes(f, values[c][i]); c += 1 } }
            }
        default:
            // Structure of arrays, field after field (each point's COUNT elements together), then
            // LZF: literal runs mixed with back references, checked against a plain literal stream.
            var soa: [UInt8] = []
            var c = 0
            for f in fields {
                for i in 0..<count { for k in 0..<f.count { soa += elementBytes(f, values[c + k][i]) } }
                c += f.count
            }
            let compressed = lzfWithBackReferences(soa)
            bytes += TestFiles.bytes(Double(compressed.count), type: "uint", bigEndian: false)
            bytes += TestFiles.bytes(Double(soa.count), type: "uint", bigEndian: false)
            bytes += compressed
        }
        return (bytes, values)
    }

    /// A small greedy LZF encoder (independent of the reader): back references to the longest
    /// earlier match within 8 KiB, literals otherwise.
    static func lzfWithBackReferences(_ input: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var literals: [UInt8] = []
        func flush() {
            var i = 0
            while i < literals.count {
                let n = min(32, literals.count - i)
                out.append(UInt8(n - 1)); out += literals[i..<(i + n)]; i += n
            }
            literals.removeAll()
        }
        var i = 0
        while i < input.count {
            var bestLength = 0, bestOffset = 0
            let windowStart = max(0, i - 8192)
            var j = i - 1
            while j >= windowStart && i - j <= 8192 {
                var n = 0
                while i + n < input.count && n < 264 && input[j + n] == input[i + n] { n += 1 }
                if n > bestLength { bestLength = n; bestOffset = i - j - 1 }
                j -= 1
                if bestLength >= 32 { break }
            }
            if bestLength >= 3 {
                flush()
                let len = bestLength - 2
                if len < 7 {
                    out.append(UInt8(len << 5 | bestOffset >> 8))
                } else {
                    out.append(UInt8(7 << 5 | bestOffset >> 8)); out.append(UInt8(len - 7))
                }
                out.append(UInt8(bestOffset & 0xFF))
                i += bestLength
            } else {
                literals.append(input[i]); i += 1
            }
        }
        flush()
        return out
    }

    @Test(arguments: ["ascii", "binary", "binary_compressed"])
    func everyFieldKindInEveryEncoding(encoding: String) throws {
        let (bytes, values) = Self.makeFile(encoding: encoding)
        let (cloud, header) = try bytes.withUnsafeBytes { try PCDReader.read(bytes: $0, path: "t.pcd") }
        #expect(header.encoding.rawValue == encoding)
        #expect(cloud.count == 29)
        var c = 0
        for f in Self.fields {
            for k in 0..<f.count {
                let expected = values[c].map { Float($0) }
                switch f.name {
                case "_": break
                case "rgb":
                    let words = values[c].map { UInt32($0) }
                    #expect(cloud.column("red") == words.map { Float(($0 >> 16) & 0xFF) })
                    #expect(cloud.column("green") == words.map { Float(($0 >> 8) & 0xFF) })
                    #expect(cloud.column("blue") == words.map { Float($0 & 0xFF) })
                case "hist":
                    #expect(cloud.scalars["hist[\(k)]"].map { sameBits($0, expected) } == true, "hist[\(k)]")
                default:
                    #expect(cloud.column(f.name).map { sameBits($0, expected) } == true, "\(encoding) \(f.name)")
                }
                c += 1
            }
        }
        #expect(cloud.scalars.keys.sorted() == ["hist[0]", "hist[1]", "hist[2]", "intensity", "label", "ring"])
    }

    @Test func compressedStreamReallyUsesBackReferences() {
        let data: [UInt8] = Array(repeating: 7, count: 300) + Array(0..<200).map { UInt8($0 % 11) }
        let compressed = Self.lzfWithBackReferences(data)
        #expect(compressed.count < 60)
        var out = [UInt8](repeating: 0, count: data.count)
        let n = compressed.withUnsafeBytes { src in out.withUnsafeMutableBytes { LZF.decompress(src, into: $0) } }
        #expect(n == data.count && out == data)
    }

    @Test func organisedCloudKeepsNaNOutOfTheCloud() throws {
        var text = "VERSION .7\nFIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nCOUNT 1 1 1\nWIDTH 3\nHEIGHT 2\nPOINTS 6\nDATA ascii\n"
        text += "1 2 3\nnan nan nan\n4 5 6\n7 8 9\n10 nan 12\n13 14 15\n"
        let cloud = try Array(text.utf8).withUnsafeBytes { try PCDReader.read(bytes: $0, path: "o.pcd").cloud }
        #expect(cloud.positions == [SIMD3(1, 2, 3), SIMD3(4, 5, 6), SIMD3(7, 8, 9), SIMD3(13, 14, 15)])
        #expect(cloud.grid == OrganizedGrid(width: 3, height: 2, pixelIndices: [0, 2, 3, 5]))
    }

    @Test func unsignedRGBAndNormals() throws {
        let text = """
        VERSION 0.7
        FIELDS x y z rgb normal_x normal_y normal_z curvature
        SIZE 4 4 4 4 4 4 4 4
        TYPE F F F U F F F F
        WIDTH 1
        POINTS 1
        DATA ascii
        0.25 -1 3e2 3005578 0 1 0 0.125

        """
        let cloud = try Array(text.utf8).withUnsafeBytes { try PCDReader.read(bytes: $0, path: "u.pcd").cloud }
        #expect(cloud.positions == [SIMD3(0.25, -1, 300)])
        #expect(cloud.colors == [SIMD3<Float>(0x2D, 0xDC, 0x8A) / 255])
        #expect(cloud.normals == [SIMD3(0, 1, 0)])
        #expect(cloud.scalars == ["curvature": [0.125]])
    }
}
