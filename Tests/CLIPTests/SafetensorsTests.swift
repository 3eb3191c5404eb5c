import CLIP
import Foundation
import PointADSupport
import TensorCore
import Testing
import TestSupport

/// The safetensors reader and writer: round trips, dtype conversion against hand-made bytes, and
/// every malformed input giving an error that names the file and the tensor.
@Suite("safetensors reader and writer")
struct SafetensorsTests {
    /// A file from a raw header and data section, bypassing the writer.
    static func rawFile(header: String, data: [UInt8], in directory: URL, name: String = "raw.safetensors") throws -> URL {
        var bytes = [UInt8]()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { bytes += $0 }
        bytes += Array(header.utf8) + data
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    static func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        return "no error"
    }

    @Test("round trip of float, int and generated tensors with metadata")
    func roundTrip() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = try Tensor(shape: [2, 3], values: randomFloats(6, seed: 1))
        var writer = SafetensorsWriter(metadata: ["format": "test"])
        try writer.add("b.weights", a)
        try writer.add("a.ids", int32: [7, -3, 49407], shape: [3])
        try writer.add("c.generated", shape: [4]) { buffer in for i in 0..<buffer.count { buffer[i] = Float(i) * 0.5 } }
        try writer.add("d.scalar", try Tensor(shape: [], values: [4.5]))
        let url = dir.appendingPathComponent("x.safetensors")
        try writer.write(to: url)

        let file = try SafetensorsFile(contentsOf: url)
        #expect(file.names == ["a.ids", "b.weights", "c.generated", "d.scalar"])
        #expect(file.metadata == ["format": "test"])
        #expect(try file.tensor("b.weights", shape: [2, 3]).toArray() == a.toArray())
        #expect(try file.int32Values("a.ids").values == [7, -3, 49407])
        #expect(try file.tensor("c.generated").toArray() == [0, 0.5, 1, 1.5])
        #expect(try file.tensor("d.scalar").toArray() == [4.5])
        // The header is padded so float data is aligned: read in place, no copy.
        #expect(try file.tensor("b.weights").storage.count == 6)
        let raw = try Data(contentsOf: url)
        let headerLength = raw.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        #expect(headerLength % 8 == 0)
        // No temporary file is left beside the output.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["x.safetensors"])
    }

    @Test("F16 and BF16 are converted, unaligned F32 is copied")
    func halfPrecision() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // F16 1.0 = 0x3C00, -2.5 = 0xC100; BF16 1.0 = 0x3F80, 0.15625 = 0x3E20; F32 3.0 at byte 10 (unaligned).
        let data: [UInt8] = [0x00, 0x3C, 0x00, 0xC1, 0x80, 0x3F, 0x20, 0x3E, 0, 0] + [0x00, 0x00, 0x40, 0x40]
        let header = #"{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[4,8]},"pad":{"dtype":"U8","shape":[2],"data_offsets":[8,10]},"f":{"dtype":"F32","shape":[1],"data_offsets":[10,14]}}"#
        let url = try Self.rawFile(header: header, data: data, in: dir)
        let file = try SafetensorsFile(contentsOf: url)
        #expect(try file.tensor("h").toArray() == [1, -2.5])
        #expect(try file.tensor("b").toArray() == [1, 0.15625])
        #expect(try file.tensor("f").toArray() == [3])
        #expect(Self.message { _ = try file.tensor("pad") }.contains("'pad' has dtype U8"))
    }

    @Test("malformed files name the problem and the tensor")
    func malformed() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let four: [UInt8] = [0, 0, 128, 63]
        let cases: [(header: String, data: [UInt8], expected: String)] = [
            (#"{"w":{"dtype":"Q7","shape":[1],"data_offsets":[0,4]}}"#, four, "tensor 'w': unknown dtype 'Q7'"),
            (#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, four, "truncated safetensors file: tensor 'w' ends at byte 8"),
            (#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, four, "tensor 'w': shape [2] of F32 needs 8 bytes"),
            (#"{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, four, "tensor 'w': shape is not a list of non-negative integers"),
            (#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}"#, four, "tensor 'w': data_offsets is not a pair"),
            (#"{"v":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, four, "overlap"),
            (#"{"w":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,4]}}"#, four, "tensor 'w': shape"),
            (#"{"w": nonsense"#, four, "header is not valid JSON"),
        ]
        for (i, c) in cases.enumerated() {
            let url = try Self.rawFile(header: c.header, data: c.data, in: dir, name: "bad\(i).safetensors")
            let m = Self.message { _ = try SafetensorsFile(contentsOf: url) }
            #expect(m.contains(c.expected) && m.contains(url.path), "case \(i): \(m)")
        }
        // Header length pointing past the end of the file, and a file shorter than 8 bytes.
        let url = dir.appendingPathComponent("short.safetensors")
        var bytes = [UInt8]()
        withUnsafeBytes(of: UInt64(1000).littleEndian) { bytes += $0 }
        try Data(bytes + Array("{}".utf8)).write(to: url)
        #expect(Self.message { _ = try SafetensorsFile(contentsOf: url) }.contains("truncated safetensors file: header of 1000 bytes"))
        try Data([1, 2, 3]).write(to: url)
        #expect(Self.message { _ = try SafetensorsFile(contentsOf: url) }.contains("truncated"))
        #expect(Self.message { _ = try SafetensorsFile(contentsOf: dir.appendingPathComponent("none")) }.contains("no such file"))
    }

    @Test("missing tensor and wrong shape name the tensor")
    func missingAndShape() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var writer = SafetensorsWriter()
        try writer.add("w", Tensor(zeros: [2, 3]))
        let url = dir.appendingPathComponent("x.safetensors")
        try writer.write(to: url)
        let file = try SafetensorsFile(contentsOf: url)
        #expect(Self.message { _ = try file.tensor("missing") }.contains("tensor 'missing' is missing"))
        #expect(Self.message { _ = try file.tensor("w", shape: [3, 2]) }.contains("tensor 'w' has shape [2, 3], expected [3, 2]"))
    }
}
