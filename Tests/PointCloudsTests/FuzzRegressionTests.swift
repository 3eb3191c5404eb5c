import Foundation
import PointADSupport
import Testing
import TestSupport
@testable import PointClouds

/// Every input the fuzzer kept (seeds and crashers under Fixtures/fuzz, first byte = reader) and a
/// deterministic mutation run over them must yield a consistent cloud or a FileError naming the file.
@Suite struct FuzzRegressionTests {
    static func inputs() throws -> [(String, [UInt8])] {
        var result: [(String, [UInt8])] = []
        for folder in ["seeds", "crashers"] {
            let directory = TestPaths.fixture("fuzz/\(folder)")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for name in names.sorted() where !name.hasPrefix(".") {
                result.append(("\(folder)/\(name)", Array(try Data(contentsOf: directory.appendingPathComponent(name)))))
            }
        }
        return result
    }

    /// Runs the reader the first byte selects (as Scripts/fuzz/FuzzReaders.swift does).
    static func check(_ input: [UInt8], _ label: String) {
        guard let selector = input.first else { return }
        let body = Array(input.dropFirst())
        let path = "fuzz-\(label)"
        do {
            let cloud: PointCloud = try body.withUnsafeBytes { bytes in
                switch selector % 3 {
                case 0: try PLYReader.read(bytes: bytes, path: path).cloud
                case 1: try PCDReader.read(bytes: bytes, path: path).cloud
                default: try PointTextReader.read(bytes: bytes, path: path)
                }
            }
            #expect(cloud.count > 0, "\(label)")
            #expect(cloud.positions.allSatisfy { $0.x.isFinite && $0.y.isFinite && $0.z.isFinite }, "\(label)")
            #expect(cloud.normals.map { $0.count == cloud.count } ?? true, "\(label)")
            #expect(cloud.colors.map { $0.count == cloud.count } ?? true, "\(label)")
            #expect(cloud.scalars.values.allSatisfy { $0.count == cloud.count }, "\(label)")
        } catch let error as FileError {
            #expect(error.path == path && !error.problem.isEmpty, "\(label)")
        } catch {
            Issue.record("\(label): unexpected error type \(error)")
        }
    }

    @Test func keptInputs() throws {
        let inputs = try Self.inputs()
        #expect(inputs.count >= 8)
        for (label, bytes) in inputs { Self.check(bytes, label) }
    }

    @Test func deterministicMutations() throws {
        var rng = SplitMix64(seed: 2024)
        let seeds = try Self.inputs().filter { $0.0.hasPrefix("seeds/") }
        let interesting: [[UInt8]] = ["0", "-1", "4294967295", "99999999999", "nan", "1e308", "3e38", "1e39", "-0", " ", "\n", "\r\n", "list", "end_header\n", "DATA binary\n"].map { Array($0.utf8) }
        for round in 0..<4000 {
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
