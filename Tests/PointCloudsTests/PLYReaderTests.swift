import Foundation
import PointADSupport
import Testing
import TestSupport
@testable import PointClouds

/// PLY files written byte by byte by the test, in every encoding, read back bit-exactly.
@Suite struct PLYReaderTests {
    static let typeNames = ["char", "uchar", "short", "ushort", "int", "uint", "float", "double",
                            "int8", "uint8", "int16", "uint16", "int32", "uint32", "float32", "float64"]

    struct Property { var name: String; var type: String; var values: [Double] }

    /// A PLY with a `camera` element before the vertices, vertex properties in a scrambled order
    /// (x last, a list in the middle), and a face element with a list followed by scalars.
    static func makeFile(format: String, crlf: Bool = false, count: Int = 37, seed: UInt64 = 1) -> (bytes: [UInt8], properties: [Property]) {
        var rng = SplitMix64(seed: seed)
        var properties: [Property] = []
        for (i, t) in typeNames.enumerated() {
            properties.append(Property(name: "p\(i)_\(t)", type: t, values: (0..<count).map { _ in TestFiles.value(for: t, using: &rng) }))
        }
        properties.insert(Property(name: "z", type: "double", values: (0..<count).map { _ in Double.random(in: -5...5, using: &rng) }), at: 3)
        properties.insert(Property(name: "y", type: "float32", values: (0..<count).map { _ in Double(Float.random(in: -5...5, using: &rng)) }), at: 0)
        properties.append(Property(name: "x", type: "float", values: (0..<count).map { _ in Double(Float.random(in: -5...5, using: &rng)) }))
        let lists = (0..<count).map { i in (0..<(i % 4)).map { _ in Int.random(in: 0..<count, using: &rng) } }
        let faces = (0..<5).map { _ in (0..<3).map { _ in Int.random(in: 0..<count, using: &rng) } }
        let bigEndian = format == "binary_big_endian"
        let eol = crlf ? "\r\n" : "\n"

        var header = ["ply", "format \(format) 1.0", "comment made by PLYReaderTests", "obj_info scanner none",
                      "element camera 1", "property float view_px", "property float view_py  "]
        header.append("element vertex \(count)")
        for (i, p) in properties.enumerated() {
            header.append("property \(p.type) \(p.name)")
            if i == 5 { header.append("property list uchar int neighbours") }
        }
        header += ["comment a comment between elements", "element face \(faces.count)", "property list uint8 int32 vertex_indices",
                   "property uchar red", "end_header"]
        var bytes = Array(header.joined(separator: eol).utf8) + Array(eol.utf8)

        if format == "ascii" {
            var text = "1.5 -2.5" + eol
            for r in 0..<count {
                var tokens: [String] = []
                for (i, p) in properties.enumerated() {
                    tokens.append(TestFiles.text(p.values[r], type: p.type))
                    if i == 5 { tokens.append(String(lists[r].count)); tokens += lists[r].map(String.init) }
                }
                text += tokens.joined(separator: r % 2 == 0 ? " " : " \t ") + eol
            }
            for f in faces { text += "3 \(f.map(String.init).joined(separator: " ")) 200" + eol }
            bytes += Array(text.utf8)
        } else {
            bytes += TestFiles.bytes(1.5, type: "float", bigEndian: bigEndian) + TestFiles.bytes(-2.5, type: "float", bigEndian: bigEndian)
            for r in 0..<count {
                for (i, p) in properties.enumerated() {
                    bytes += TestFiles.bytes(p.values[r], type: p.type, bigEndian: bigEndian)
                    if i == 5 {
                        bytes += [UInt8(lists[r].count)]
                        for v in lists[r] { bytes += TestFiles.bytes(Double(v), type: "int", bigEndian: bigEndian) }
                    }
                }
            }
            for f in faces {
                bytes += [3]
                for v in f { bytes += TestFiles.bytes(Double(v), type: "int32", bigEndian: bigEndian) }
                bytes += [200]
            }
        }
        return (bytes, properties)
    }

    @Test(arguments: ["ascii", "binary_little_endian", "binary_big_endian"], [false, true])
    func everyTypeInEveryEncoding(format: String, crlf: Bool) throws {
        if crlf && format != "ascii" { return }  // CRLF only matters for text; binary headers are covered by ascii
        let (bytes, properties) = Self.makeFile(format: format, crlf: crlf)
        let cloud = try bytes.withUnsafeBytes { try PLYReader.read(bytes: $0, path: "test.ply").cloud }
        #expect(cloud.count == 37)
        for p in properties {
            let expected = p.values.map { Float($0) }
            let got = try #require(cloud.column(p.name), "missing \(p.name)")
            #expect(sameBits(got, expected), "\(format) property \(p.name) (\(p.type))")
        }
        #expect(cloud.scalars["neighbours"] == nil)
        #expect(cloud.scalars["view_px"] == nil)
    }

    @Test func crlfHeaderWithBinaryData() throws {
        // A binary file whose header lines end in CRLF: the data starts after "end_header\r\n".
        var bytes = Array("ply\r\nformat binary_little_endian 1.0\r\nelement vertex 2\r\nproperty float x\r\nproperty float y\r\nproperty float z\r\nend_header\r\n".utf8)
        let values: [Float] = [1, 2, 3, 0x0D, 0x0A, -7.25]
        for v in values { bytes += TestFiles.bytes(Double(v), type: "float", bigEndian: false) }
        let cloud = try bytes.withUnsafeBytes { try PLYReader.read(bytes: $0, path: "crlf.ply").cloud }
        #expect(cloud.positions == [SIMD3(1, 2, 3), SIMD3(13, 10, -7.25)])
    }

    @Test func headerDescribesFile() throws {
        let (bytes, _) = Self.makeFile(format: "binary_big_endian")
        let header = try bytes.withUnsafeBytes { try PLYHeader.parse($0, path: "t.ply") }
        #expect(header.format == .binaryBigEndian)
        #expect(header.elements.map(\.name) == ["camera", "vertex", "face"])
        #expect(header.elements[1].count == 37)
        #expect(header.elements[1].properties.count == 20)
        #expect(header.elements[1].properties[6] == .init(name: "neighbours", type: .int32, listCountType: .uint8))
        #expect(header.comments == ["made by PLYReaderTests", "scanner none", "a comment between elements"])
    }

    @Test func normalsAndColours() throws {
        let text = """
        ply
        format ascii 1.0
        element vertex 2
        property float x
        property float y
        property float z
        property uchar red
        property uchar green
        property uchar blue
        property float nx
        property float ny
        property float nz
        property float quality
        end_header
        0 1 2 255 128 0 0 0 1 0.5
        3 4 5 1 2 3 1 0 0 -2

        """
        let cloud = try Array(text.utf8).withUnsafeBytes { try PLYReader.read(bytes: $0, path: "n.ply").cloud }
        #expect(cloud.positions == [SIMD3(0, 1, 2), SIMD3(3, 4, 5)])
        #expect(cloud.normals == [SIMD3(0, 0, 1), SIMD3(1, 0, 0)])
        #expect(cloud.colors == [SIMD3<Float>(255, 128, 0) / 255, SIMD3<Float>(1, 2, 3) / 255])
        #expect(cloud.scalars == ["quality": [0.5, -2]])
    }

    @Test func lenientModeAcceptsBareHeaderText() throws {
        let text = "ply\nformat ascii 1.0\nCreated by Blender 2.47\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\nend_header\n1 2 3\n"
        #expect(throws: FileError.self) { try Array(text.utf8).withUnsafeBytes { try PLYReader.read(bytes: $0, path: "w.ply") } }
        let cloud = try Array(text.utf8).withUnsafeBytes { try PLYReader.read(bytes: $0, path: "w.ply", lenient: true).cloud }
        #expect(cloud.positions == [SIMD3(1, 2, 3)])
    }
}
