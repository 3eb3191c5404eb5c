import Evaluation
import Foundation
import Imaging
import PointADSupport
import PointClouds
import Testing
import TestSupport
@testable import Synthesis

/// Whole synthetic trees, read back by the project's own readers and dataset walkers (and by
/// Python's tifffile when it is installed).
@Suite("synthetic dataset trees")
struct DatasetTreeTests {
    /// Small settings that still exercise every part of a layout.
    static func settings(_ layout: SyntheticLayout, seed: UInt64 = 3) -> SynthesisSettings {
        var s = SynthesisSettings(layout: layout, classes: 2, testSamples: 6, trainSamples: 2, seed: seed)
        s.imageWidth = 96
        s.imageHeight = 80
        s.points = 2_000
        s.meshResolution = 64
        return s
    }

    static func make(_ settings: SynthesisSettings) throws -> URL {
        let dir = try TestPaths.temporaryDirectory("synth")
        _ = try DatasetSynthesizer.synthesize(settings, to: dir, quiet: true)
        return dir
    }

    @Test("MVTec 3D-AD tree: walker finds every sample; xyz, rgb and gt read back with matching sizes and labels")
    func mvtecTree() throws {
        let settings = Self.settings(.mvtec3d)
        let root = try Self.make(settings)
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try DatasetKind.detect(root) == .mvtec3d)
        let walker = DatasetWalker(kind: .mvtec3d, root: root)
        let names = SyntheticClass.catalog(count: 2, layout: .mvtec3d, seed: 3).map(\.name)
        #expect(try walker.classes() == names.sorted())
        let test = try walker.samples()
        #expect(test.count == 2 * 6)
        #expect(test.filter { $0.label == 1 }.count == 2 * 3)
        #expect(try walker.samples(splits: ["train"]).count == 2 * 2)
        #expect(try walker.samples(splits: ["validation"]).count == 2 * 1)
        for sample in test {
            let xyz = try XYZTIFFFile.read(URL(fileURLWithPath: sample.points))
            #expect(xyz.width == 96 && xyz.height == 80)
            let rgb = try PNGFile.readBytes(URL(fileURLWithPath: try #require(sample.rgb)), as: .rgb)
            #expect(rgb.width == 96 && rgb.height == 80)
            let gtURL = URL(fileURLWithPath: try #require(sample.groundTruth))
            let gt = try PNGFile.readBytes(gtURL, as: .grey)
            #expect(gt.width == 96 && gt.height == 80)
            let values = Set(gt.bytes)
            if sample.label == 1 {
                let kinds = sample.defect == "combined" ? 2 : 1
                #expect(values.subtracting([0]).count == kinds, "\(sample.stem) \(sample.defect): \(values)")
                #expect(values.subtracting([0]).allSatisfy { DefectKind(groundTruthValue: $0) != nil })
                if kinds == 1 { #expect(DefectKind(groundTruthValue: values.max()!)?.mvtecName == sample.defect) }
                #expect(try MaskFile.read(gtURL).defectCount >= 12)
            } else {
                #expect(values == [0])
            }
            // Defects are on the object: every defect pixel that has a point is a valid point.
            let valid = xyz.validPixelIndices.count
            #expect(valid > 96 * 80 / 10)
            // Two pixels per scan have only x = 0: invalid for the reference loaders.
            var xOnlyZero = 0
            for p in 0..<(96 * 80) where xyz.values[3 * p] == 0 && xyz.values[3 * p + 2] != 0 { xOnlyZero += 1 }
            #expect(xOnlyZero == MVTecTreeWriter.zeroCoordinatePixels)
        }
        let classDir = root.appendingPathComponent(names[0])
        let ids = try JSONSerialization.jsonObject(with: Data(contentsOf: classDir.appendingPathComponent("class_ids.json"))) as? [String: String]
        #expect(ids?["0"] == "good" && ids?["250"] == "contamination" && ids?.count == 7)
        let camera = try JSONSerialization.jsonObject(with: Data(contentsOf: classDir.appendingPathComponent("calibration/camera_parameters.json"))) as? [String: Any]
        #expect(camera?["image_width"] as? Int == 96 && camera?["image_height"] as? Int == 80)
        #expect(FileManager.default.fileExists(atPath: classDir.appendingPathComponent("readme.txt").path))
    }

    @Test("point-set trees: walker parses names; anomalous points come from gt files equal to the .pcd",
          arguments: [SyntheticLayout.real3d, .shapenet])
    func pointSetTree(layout: SyntheticLayout) throws {
        let root = try Self.make(Self.settings(layout))
        defer { try? FileManager.default.removeItem(at: root) }
        let kind: DatasetKind = layout == .real3d ? .real3d : .shapenet
        #expect(try DatasetKind.detect(root) == kind)
        let walker = DatasetWalker(kind: kind, root: root)
        let train = try walker.samples(splits: ["train"])
        #expect(train.count == 2 * 2 && train.allSatisfy { $0.stem.contains("template") })
        let test = try walker.samples()
        #expect(test.count == 2 * 6)
        let names = Set(layout.defectKinds.map { layout == .real3d ? $0.real3dName! : $0.shapenetName! })
        for sample in test {
            if sample.label == 1 {
                #expect(names.contains(sample.defect), "\(sample.stem) → \(sample.defect)")
                let gtURL = URL(fileURLWithPath: try #require(sample.groundTruth))
                let text = try String(contentsOf: gtURL, encoding: .utf8)
                let firstLine = text.split(separator: "\n")[0]
                #expect(firstLine.split(separator: layout == .real3d ? " " : ",").count == 4, "\(firstLine)")
                let gt = try PointCloudFile.read(gtURL)
                let labels = try #require(gt.scalars["label"])
                let anomalous = labels.filter { $0 == 1 }.count
                #expect(labels.allSatisfy { $0 == 0 || $0 == 1 })
                #expect(anomalous > 0 && anomalous < gt.count / 5)
                let pcd = try PointCloudFile.read(root.appendingPathComponent("\(sample.className)/test/\(sample.stem).pcd"))
                #expect(pcd.positions == gt.positions)
            } else {
                #expect(sample.defect == "good")
                #expect(try PointCloudFile.read(URL(fileURLWithPath: sample.points)).count == 2_000)
            }
        }
    }

    @Test("the evaluation's sample loader gets points with matching labels from every layout", arguments: SyntheticLayout.allCases)
    func evaluationLoader(layout: SyntheticLayout) throws {
        let root = try Self.make(Self.settings(layout))
        defer { try? FileManager.default.removeItem(at: root) }
        let kind: DatasetKind = switch layout { case .mvtec3d: .mvtec3d; case .real3d: .real3d; case .shapenet: .shapenet }
        for sample in try DatasetWalker(kind: kind, root: root).samples() {
            let loaded = try DatasetSampleLoader().load(sample)
            let labels = try #require(loaded.pointLabels)
            #expect(labels.count == loaded.cloud.count)
            let anomalous = labels.filter { $0 != 0 }.count
            #expect(sample.label == 1 ? anomalous > 0 : anomalous == 0, "\(sample.stem) \(sample.defect)")
            if layout == .mvtec3d {
                // Points are the pixels with no zero coordinate: the two x-only-zero pixels are out.
                let xyz = try XYZTIFFFile.read(URL(fileURLWithPath: sample.points))
                var allNonZero = 0
                for p in 0..<(xyz.width * xyz.height) where xyz.values[3 * p] != 0 && xyz.values[3 * p + 1] != 0 && xyz.values[3 * p + 2] != 0 {
                    allNonZero += 1
                }
                #expect(loaded.cloud.count == allNonZero)
                let regions = try #require(loaded.regions)
                #expect(sample.label == 1 ? regions.contains { $0 > 0 } : regions.allSatisfy { $0 == 0 })
            } else {
                #expect(loaded.cloud.count == 2_000)
            }
        }
    }

    @Test("the same settings give byte-identical trees; another seed gives other data", arguments: SyntheticLayout.allCases)
    func deterministic(layout: SyntheticLayout) throws {
        let a = try Self.make(Self.settings(layout)), b = try Self.make(Self.settings(layout))
        let c = try Self.make(Self.settings(layout, seed: 4))
        defer { for d in [a, b, c] { try? FileManager.default.removeItem(at: d) } }
        let digestA = try Self.treeDigest(a), digestB = try Self.treeDigest(b), digestC = try Self.treeDigest(c)
        #expect(digestA.count > 10)
        #expect(digestA == digestB)
        let changed = digestA.filter { digestC[$0.key] != $0.value }.count
        #expect(changed > digestA.count / 2)
    }

    @Test("refuses a foreign non-empty folder; replaces its own earlier output")
    func outputFolderPolicy() throws {
        let dir = try TestPaths.temporaryDirectory("synth")
        defer { try? FileManager.default.removeItem(at: dir) }
        try "keep me".write(to: dir.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        #expect(throws: FileError.self) { try DatasetSynthesizer.synthesize(Self.settings(.real3d), to: dir, quiet: true) }
        try FileManager.default.removeItem(at: dir.appendingPathComponent("notes.txt"))
        var settings = Self.settings(.real3d)
        settings.classes = 3
        _ = try DatasetSynthesizer.synthesize(settings, to: dir, quiet: true)
        settings.classes = 1
        _ = try DatasetSynthesizer.synthesize(settings, to: dir, quiet: true)
        #expect(try DatasetWalker(kind: .real3d, root: dir).classes().count == 1)
    }

    @Test("xyz TIFFs read the same in Python's tifffile", .enabled(if: Self.pythonHas("tifffile")))
    func tifffileReadsXYZ() throws {
        let root = try Self.make(Self.settings(.mvtec3d))
        defer { try? FileManager.default.removeItem(at: root) }
        let sample = try #require(try DatasetWalker(kind: .mvtec3d, root: root).samples().first { $0.label == 1 })
        let ours = try XYZTIFFFile.read(URL(fileURLWithPath: sample.points))
        let script = """
            import sys, tifffile, numpy
            a = tifffile.imread(sys.argv[1])
            assert a.dtype == numpy.float32 and a.shape == (80, 96, 3), (a.dtype, a.shape)
            sys.stdout.write(a.tobytes().hex())
            """
        let output = try Self.run(["python3", "-c", script, sample.points])
        let hex = Array(output.utf8)
        func nibble(_ c: UInt8) -> UInt8 { c <= UInt8(ascii: "9") ? c - UInt8(ascii: "0") : c - UInt8(ascii: "a") + 10 }
        let bytes = stride(from: 0, to: hex.count, by: 2).map { nibble(hex[$0]) << 4 | nibble(hex[$0 + 1]) }
        let floats = bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        #expect(floats == ours.values)
    }

    // MARK: helpers

    /// The bytes of every file, by path relative to the root.
    static func treeDigest(_ root: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])!
        for case let url as URL in enumerator where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            let relative = String(url.path.dropFirst(root.path.count))
            result[relative] = try Data(contentsOf: url)
        }
        return result
    }

    static func pythonHas(_ module: String) -> Bool {
        (try? run(["python3", "-c", "import \(module)"])) != nil
    }

    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw UsageError("\(arguments[0]) failed") }
        return String(decoding: data, as: UTF8.self)
    }
}
