import Foundation
import PointADSupport
import Testing
import TestSupport
@testable import CLIP

/// The PyTorch-checkpoint inputs the fuzzer keeps (Fixtures/fuzz/{seeds,crashers}, first byte
/// `% 9 == 8`, see Scripts/fuzz/FuzzReaders.swift) and deterministic mutations of them: a zip is
/// opened as a checkpoint file, other bytes are run through the restricted unpickler. Each must
/// give a result or a FileError naming the file, never a crash.
@Suite struct CheckpointFuzzRegressionTests {
    static func inputs() throws -> [(String, [UInt8])] {
        try FuzzInputs.load().filter { $0.1.first.map { $0 % 9 == 8 } ?? false }
    }

    static func check(_ input: [UInt8], _ label: String, in directory: URL) throws {
        let body = Array(input.dropFirst())
        let url = directory.appendingPathComponent("fuzz.pt")
        do {
            if body.starts(with: [0x50, 0x4B]) {
                try Data(body).write(to: url)
                let checkpoint = try TorchCheckpoint(contentsOf: url)
                for name in checkpoint.names {
                    let entry = try #require(checkpoint.entries[name])
                    #expect(entry.shape.allSatisfy { $0 >= 0 }, "\(label): \(name)")
                }
            } else {
                try body.withUnsafeBytes { bytes in
                    var unpickler = RestrictedUnpickler(bytes, path: url.path, entryName: "data.pkl")
                    _ = try unpickler.load()
                }
            }
        } catch let error as FileError {
            #expect(error.path == url.path && !error.problem.isEmpty, "\(label): \(error)")
        }
    }

    @Test func keptInputs() throws {
        let inputs = try Self.inputs()
        #expect(inputs.contains { $0.0.hasPrefix("seeds/") && $0.1.dropFirst().starts(with: [0x50, 0x4B]) }, "a zip seed")
        #expect(inputs.contains { $0.0.hasPrefix("seeds/") && $0.1.dropFirst().first == 0x80 }, "a bare pickle seed")
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (label, bytes) in inputs { try Self.check(bytes, label, in: directory) }
    }

    @Test func deterministicMutations() throws {
        let seeds = try Self.inputs().filter { $0.0.hasPrefix("seeds/") }
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var state: UInt64 = 2024
        func next(_ n: Int) -> Int {  // SplitMix64
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(n))
        }
        for round in 0..<1500 {
            let (label, seed) = seeds[round % seeds.count]
            var bytes = seed
            for _ in 0...next(4) {
                guard bytes.count > 3 else { break }
                let at = 1 + next(bytes.count - 1)
                switch next(4) {
                case 0: bytes[at] ^= UInt8(1 << next(8))
                case 1: bytes.removeSubrange(at..<min(bytes.count, at + 1 + next(16)))
                case 2: bytes = Array(bytes.prefix(at))
                default: bytes[at] = UInt8(next(256))
                }
            }
            try Self.check(bytes, "\(label) mutation \(round)", in: directory)
        }
    }
}
