import Foundation
import PointADSupport
import Testing
import TestSupport
@testable import PointClouds

/// Every input the fuzzer kept (seeds and crashers under Fixtures/fuzz, first byte = reader) and a
/// deterministic mutation run over them must yield a consistent cloud or mesh, or a FileError
/// naming the file. Checkpoint inputs (selector 8) are replayed by CLIPTests.
@Suite struct FuzzRegressionTests {
    static func inputs() throws -> [(String, [UInt8])] { try FuzzInputs.load() }

    /// The selector of PyTorch checkpoint inputs, replayed by CLIPTests' CheckpointFuzzRegressionTests.
    static let checkpointSelector: UInt8 = 8

    static func isCheckpoint(_ input: [UInt8]) -> Bool { input.first.map { $0 % 9 == checkpointSelector } ?? false }

    /// Runs the reader the first byte selects (as Scripts/fuzz/FuzzReaders.swift does, `% 9`):
    /// 0 PLY, 1 PCD, 2 text, 3 OBJ, 4 STL, 5 OFF, 6 .npy, 7 text with a `--columns` first line.
    static func check(_ input: [UInt8], _ label: String) {
        guard let selector = input.first, !isCheckpoint(input) else { return }
        let body = Array(input.dropFirst())
        let path = "fuzz-\(label)"
        do {
            switch selector % 9 {
            case 3, 4, 5:
                let mesh: TriangleMesh = try body.withUnsafeBytes { bytes in
                    switch selector % 9 {
                    case 3: try OBJReader.read(bytes: bytes, path: path)
                    case 4: try STLReader.read(bytes: bytes, path: path)
                    default: try OFFReader.read(bytes: bytes, path: path)
                    }
                }
                checkMesh(mesh, label)
            default:
                let cloud: PointCloud = try body.withUnsafeBytes { bytes in
                    switch selector % 9 {
                    case 0: try PLYReader.read(bytes: bytes, path: path).cloud
                    case 1: try PCDReader.read(bytes: bytes, path: path).cloud
                    case 6: try NPYPointReader.read(data: Data(bytes), path: path)
                    case 7: try readWithColumns(bytes, path: path)
                    default: try PointTextReader.read(bytes: bytes, path: path)
                    }
                }
                checkCloud(cloud, label)
            }
        } catch let error as FileError {
            #expect(error.path == path && !error.problem.isEmpty, "\(label)")
        } catch let error as UsageError {
            #expect(selector % 9 == 7 && error.description.contains("--columns"), "\(label): \(error)")
        } catch {
            Issue.record("\(label): unexpected error type \(error)")
        }
    }

    /// Selector 7: the first line is a `--columns` spec, the rest a text file.
    static func readWithColumns(_ bytes: UnsafeRawBufferPointer, path: String) throws -> PointCloud {
        let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        let spec = try ColumnSpec(parsing: String(decoding: bytes[..<newline], as: UTF8.self))
        return try PointTextReader.read(bytes: UnsafeRawBufferPointer(rebasing: bytes[min(bytes.count, newline + 1)...]), path: path, columns: spec)
    }

    static func checkCloud(_ cloud: PointCloud, _ label: String) {
        #expect(cloud.count > 0, "\(label)")
        #expect(cloud.positions.allSatisfy { $0.x.isFinite && $0.y.isFinite && $0.z.isFinite }, "\(label)")
        #expect(cloud.normals.map { $0.count == cloud.count } ?? true, "\(label)")
        #expect(cloud.colors.map { $0.count == cloud.count } ?? true, "\(label)")
        #expect(cloud.scalars.values.allSatisfy { $0.count == cloud.count }, "\(label)")
    }

    static func checkMesh(_ mesh: TriangleMesh, _ label: String) {
        #expect(!mesh.vertices.isEmpty, "\(label)")
        #expect(mesh.vertices.allSatisfy { $0.x.isFinite && $0.y.isFinite && $0.z.isFinite }, "\(label)")
        let count = Int32(mesh.vertices.count)
        #expect(mesh.triangles.allSatisfy { t in (0..<3).allSatisfy { t[$0] >= 0 && t[$0] < count } }, "\(label)")
    }

    @Test func keptInputs() throws {
        let inputs = try Self.inputs()
        #expect(inputs.filter { !Self.isCheckpoint($0.1) }.count >= 17)
        // every reader the harness feeds has at least one seed
        let selectors = Set(inputs.filter { $0.0.hasPrefix("seeds/") }.compactMap { $0.1.first.map { $0 % 9 } })
        #expect(selectors == Set(0...8), "seeds cover selectors \(selectors.sorted())")
        for (label, bytes) in inputs { Self.check(bytes, label) }
    }

    @Test func deterministicMutations() throws {
        var rng = SplitMix64(seed: 2024)
        let seeds = try Self.inputs().filter { $0.0.hasPrefix("seeds/") && !Self.isCheckpoint($0.1) }
        let interesting: [[UInt8]] = ["0", "-1", "4294967295", "99999999999", "nan", "1e308", "3e38", "1e39", "-0", " ", "\n", "\r\n", "list", "end_header\n", "DATA binary\n", "f 1 2 3\n", "v 1 2 3\n", "facet", "vertex", "endloop", "OFF\n", "4 0 1 2 3\n", "x,y,z\n"].map { Array($0.utf8) }
        for round in 0..<6000 {
            let (label, seed) = seeds[round % seeds.count]
            var bytes = seed
            for _ in 0...Int.random(in: 0...3, using: &rng) {
                guard bytes.count > 2 else { break }
                let at = Int.random(in: 1..<bytes.count, using: &rng)
                switch Int.random(in: 0..<5, using: &rng) {
                case 0: bytes[at] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
                case 1: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...16, using: &rng)))
                case 2: bytes.insert(contentsOf: interesting[Int.random(in: 0..<interesting.count, using: &rng)], at: at)
                case 3: bytes = Array(bytes.prefix(at))
                default: bytes[at] = UInt8.random(in: 0...255, using: &rng)
                }
            }
            Self.check(bytes, "\(label) mutation \(round)")
        }
    }
}
