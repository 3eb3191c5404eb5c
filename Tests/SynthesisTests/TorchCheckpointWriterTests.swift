@testable import CLIP
import Foundation
import PointADSupport
import TensorCore
import Testing
import TestSupport
@testable import Synthesis

/// The `torch.save`-format writer, read back by pointad's checkpoint reader (and by torch itself
/// where Python has it), and the random OpenAI-layout CLIP, which must hold the same model as the
/// Hugging Face file of the same seed.
@Suite("torch checkpoint writer")
struct TorchCheckpointWriterTests {
    /// Sizes OpenAI's reader infers back unchanged (heads = width / 64), kept small.
    static let openAISizes = CLIPConfiguration(
        vision: .init(hiddenSize: 64, intermediateSize: 256, layers: 2, heads: 1, imageSize: 56, patchSize: 14),
        text: .init(hiddenSize: 64, intermediateSize: 256, layers: 2, heads: 1, vocabularySize: 1000),
        projectionDim: 32)

    static func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return String(describing: error) }
        return "no error"
    }

    /// A small archive whose values follow from their index by formulas written out here.
    static func writeSample(to url: URL) throws {
        var writer = TorchCheckpointWriter()
        try writer.add("scalar", shape: []) { $0[0] = 2.5 }
        try writer.add("layer.vector", shape: [5]) { b in for i in b.indices { b[i] = Float(i) } }
        try writer.add("layer.matrix", shape: [3, 4]) { b in for i in b.indices { b[i] = Float(i) * 0.5 - 1 } }
        try writer.add("conv", shape: [2, 1, 2, 3]) { b in for i in b.indices { b[i] = 1 / Float(i + 1) } }
        try writer.add("empty", shape: [0, 3]) { _ in }
        try writer.add("half", shape: [4], dtype: .float16) { b in b[0] = 1.0 / 3; b[1] = 65504; b[2] = -1e-8; b[3] = 70000 }
        try writer.write(to: url)
    }

    @Test("CRC-32 matches the standard check value and the byte-at-a-time definition")
    func crc() {
        #expect(Array("123456789".utf8).withUnsafeBytes { CRC32.checksum($0) } == 0xCBF4_3926)
        var rng = SeededRandom(seed: 3)
        let bytes = (0..<1001).map { _ in UInt8(truncatingIfNeeded: Int(rng.uniform() * 256)) }
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        }
        #expect(bytes.withUnsafeBytes { CRC32.checksum($0) } == ~c)
        var split = CRC32()
        bytes.withUnsafeBytes { split.update(UnsafeRawBufferPointer(rebasing: $0[0..<13])); split.update(UnsafeRawBufferPointer(rebasing: $0[13...])) }
        #expect(split.value == ~c)
    }

    @Test("every tensor reads back with its name, shape and values; float32 storages are 64-byte aligned and used in place")
    func roundTrip() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("sample.pt")
        try Self.writeSample(to: url)
        let file = try TensorFiles.open(url)
        let checkpoint = try #require(file as? TorchCheckpoint)
        #expect(!checkpoint.isTorchScript)
        #expect(checkpoint.names == ["conv", "empty", "half", "layer.matrix", "layer.vector", "scalar"])
        #expect(try checkpoint.tensor("scalar").toArray() == [2.5] && checkpoint.entries["scalar"]?.shape == [])
        #expect(try checkpoint.tensor("layer.vector", shape: [5]).toArray() == [0, 1, 2, 3, 4])
        #expect(try checkpoint.tensor("layer.matrix", shape: [3, 4]).toArray() == (0..<12).map { Float($0) * 0.5 - 1 })
        #expect(try checkpoint.tensor("conv", shape: [2, 1, 2, 3]).toArray() == (0..<12).map { 1 / Float($0 + 1) })
        #expect(try checkpoint.shape(of: "empty") == [0, 3])
        // float16: 1/3 rounds to 0x3555, 65504 is the largest half, -1e-8 underflows to -0, 70000 overflows to inf.
        #expect(checkpoint.entries["half"]?.dtype == .float16)
        let half = try checkpoint.tensor("half").toArray()
        #expect(half[0] == Float(Float16(bitPattern: 0x3555)) && half[1] == 65504 && half[2] == 0 && half[2].sign == .minus && half[3] == .infinity)
        for (name, entry) in checkpoint.entries where entry.count > 0 {
            #expect(entry.storageBytes.lowerBound % 64 == 0, "\(name) starts at byte \(entry.storageBytes.lowerBound)")
        }
        // In place: two tensors lie as far apart in memory as their storages in the file (copies would not).
        let matrix = try checkpoint.tensor("layer.matrix"), conv = try checkpoint.tensor("conv")
        let fileDistance = checkpoint.entries["conv"]!.storageBytes.lowerBound - checkpoint.entries["layer.matrix"]!.storageBytes.lowerBound
        #expect(Int(bitPattern: conv.pointer) - Int(bitPattern: matrix.pointer) == fileDistance)
    }

    @Test("bad arguments are refused with the tensor's name")
    func refusals() throws {
        var writer = TorchCheckpointWriter()
        try writer.add("a", shape: [1]) { $0[0] = 1 }
        #expect(Self.message { try writer.add("a", shape: [1]) { _ in } }.contains("'a' is empty or added twice"))
        #expect(Self.message { try writer.add("b", shape: [2], dtype: .int64) { _ in } }.contains("only float32 and float16"))
        #expect(Self.message { try writer.add("c", shape: [-1]) { _ in } }.contains("negative dimension"))
    }

    @Test("the random OpenAI-layout CLIP reads back as the same model as the Hugging Face file of the same seed")
    func openAILayoutMatchesHuggingFace() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sizes = Self.openAISizes
        let safetensors = dir.appendingPathComponent("model.safetensors"), pt = dir.appendingPathComponent("model.pt")
        let half = dir.appendingPathComponent("model-f16.pt")
        try RandomCLIPWeights.write(configuration: sizes, seed: 9, to: safetensors)
        try RandomOpenAICLIPWeights.write(configuration: sizes, seed: 9, to: pt)
        try RandomOpenAICLIPWeights.write(configuration: sizes, seed: 9, dtype: .float16, to: half)
        let reference = try SafetensorsFile(contentsOf: safetensors)
        for (url, round) in [(pt, { (x: Float) in x }), (half, { (x: Float) in Float(Float16(x)) })] {
            let checkpoint = try CLIPCheckpoint.open(url)
            #expect(checkpoint.configuration == sizes)
            #expect(Set(checkpoint.weights.names) == Set(reference.names))
            for name in reference.names {
                let ours = try checkpoint.weights.tensor(name), expected = try reference.tensor(name)
                #expect(ours.shape == expected.shape, "\(name)")
                #expect(ours.toArray() == expected.toArray().map(round), "\(name) differs in \(url.lastPathComponent)")
            }
        }
        // Values that are not all equal: the file really holds random weights.
        let q = try reference.tensor("vision_model.encoder.layers.0.self_attn.q_proj.weight").toArray()
        #expect(Set(q).count > q.count / 2)
    }

    @Test("a model OpenAI's layout cannot describe (heads ≠ width / 64) is refused")
    func unrepresentable() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let error = Self.message { try RandomOpenAICLIPWeights.write(configuration: CLIPPreset.tiny.configuration, seed: 0, to: dir.appendingPathComponent("t.pt")) }
        #expect(error.contains("OpenAI's .pt layout cannot hold this model: its vision tower (width 64, 4 heads"), "\(error)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("t.pt").path))
    }

    @Test("torch.load(weights_only=True) and zipfile read the archive: same names, shapes, values, valid CRCs",
          .enabled(if: DatasetTreeTests.pythonHas("torch"), "python3 with torch not available"))
    func torchLoads() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("sample.pt")
        try Self.writeSample(to: url)
        let script = """
            import sys, zipfile, torch
            assert zipfile.ZipFile(sys.argv[1]).testzip() is None
            d = torch.load(sys.argv[1], weights_only=True)
            for k, v in d.items():
                print(k, str(v.dtype).split('.')[1], list(v.shape), v.float().flatten().tolist())
            """
        let lines = try DatasetTreeTests.run(["python3", "-c", script, url.path]).split(separator: "\n").map(String.init)
        #expect(lines.map { $0.split(separator: " ")[0] } == ["scalar", "layer.vector", "layer.matrix", "conv", "empty", "half"])
        #expect(lines[0] == "scalar float32 [] [2.5]")
        #expect(lines[1] == "layer.vector float32 [5] [0.0, 1.0, 2.0, 3.0, 4.0]")
        #expect(lines[4] == "empty float32 [0, 3] []")
        #expect(lines[5].hasPrefix("half float16 [4] [0.333251953125, 65504.0, -0.0, inf]"))
        #expect(lines[2].hasPrefix("layer.matrix float32 [3, 4] [-1.0, -0.5, 0.0, 0.5"))
    }
}
