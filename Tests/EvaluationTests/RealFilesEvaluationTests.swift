import Foundation
import Imaging
import PointADSupport
import PointClouds
import Testing
import TestSupport
@testable import Evaluation

// End to end through the real file formats, in each layout: the scorer returns each point's z and
// defect points are the only ones raised to z = 2, so every metric is exactly 1 when — and only
// when — the loader pairs each point with its own label (a shifted or transposed pairing drops them).
@Suite("Evaluation over real files in every layout")
struct RealFilesEvaluationTests {
    struct HeightScorer: SampleScorer {
        func score(_ cloud: PointCloud, sample: SampleDescriptor) throws -> SampleScore {
            #expect(cloud.scalars["label"] == nil, "labels must not reach the scorer")
            let z = cloud.positions.map(\.z)
            return SampleScore(objectScore: z.max()!, pointScores: z)
        }
    }

    static func write(_ text: String, _ url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// W=5, H=4; pixel (0,0) invalid (0,0,0), (4,0) invalid by x = 0 only; defects on a diagonal pair.
    static func mvtecSample(_ root: URL, defect: String, stem: String, defective: [Int]) throws {
        let (w, h) = (5, 4)
        var image = XYZImage(width: w, height: h)
        var gt = [UInt8](repeating: 0, count: w * h)
        for p in 1..<(w * h) where p != 4 {
            image[p % w, p / w] = SIMD3(Float(p % w) + 1, Float(p / w) + 1, defective.contains(p) ? 2 : 1)
            if defective.contains(p) { gt[p] = 254 }
        }
        image[4, 0] = SIMD3(0, 3, 1)
        let dir = root.appendingPathComponent("gizmo/test/\(defect)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("xyz"), withIntermediateDirectories: true)
        try XYZTIFFFile.write(image, to: dir.appendingPathComponent("xyz/\(stem).tiff"))
        try PNGFile.write(bytes: gt, width: w, height: h, channels: 1, to: dir.appendingPathComponent("gt/\(stem).png"))
    }

    @Test("MVTec 3D-AD: TIFF valid pixels, PNG gt 253–255, 8-connected regions")
    func mvtec() throws {
        let root = try TestPaths.temporaryDirectory("mvtec-real")
        try Self.mvtecSample(root, defect: "good", stem: "000", defective: [])
        try Self.mvtecSample(root, defect: "good", stem: "001", defective: [])
        try Self.mvtecSample(root, defect: "cut", stem: "000", defective: [6, 12])
        try Self.mvtecSample(root, defect: "cut", stem: "001", defective: [18])
        try Self.write("{}", root.appendingPathComponent("gizmo/class_ids.json"))
        let out = try TestPaths.temporaryDirectory()
        let report = try #require(try BatchEvaluation.run(EvaluationSettings(dataset: .mvtec3d, data: root, output: out, saveScores: true),
                                                          loader: DatasetSampleLoader(), scorer: HeightScorer(), quiet: true))
        let m = report.classes[0]
        #expect(report.failures.isEmpty)
        #expect(m.samples == 4 && m.points == 4 * 18 && m.anomalousPoints == 3)
        #expect(m.objectAUROC == 1 && m.pointAUROC == 1 && m.pointAP == 1 && m.aupro == 1)
        // Saved scores are in the TIFF's valid-pixel order (row-major, pixels 0 and 4 skipped).
        let saved = try NPYFile.read(out.appendingPathComponent("scores/gizmo/cut/000.npy")).floats()
        #expect(saved.count == 18 && saved[4] == 2 && saved[10] == 2 && saved.filter { $0 == 2 }.count == 2)
        let loaded = try DatasetSampleLoader().load(DatasetWalker(kind: .mvtec3d, root: root).samples()[0])
        #expect(Set(try #require(loaded.regions)) == [0, 1])  // the diagonal pair is one region
    }

    @Test("MVTec 3D-AD under the grid protocols: the gt PNG reaches every pixel, invalid ones included")
    func mvtecGridProtocols() throws {
        let root = try TestPaths.temporaryDirectory("mvtec-real-grid")
        try Self.mvtecSample(root, defect: "good", stem: "000", defective: [])
        try Self.mvtecSample(root, defect: "cut", stem: "000", defective: [6, 12])
        try Self.mvtecSample(root, defect: "cut", stem: "001", defective: [18])
        let full = try #require(try BatchEvaluation.run(EvaluationSettings(dataset: .mvtec3d, data: root, output: nil, evaluationProtocol: .mvtec),
                                                        loader: DatasetSampleLoader(), scorer: HeightScorer(), quiet: true))
        let m = full.classes[0]
        // 3 scans × 20 pixels; the two invalid pixels per scan score 0, below every z (≥ 1).
        #expect(m.points == 3 * 20 && m.anomalousPoints == 3)
        #expect(m.pointAUROC == 1 && m.pointAP == 1 && m.aupro == 1)
        let grid = try #require(try BatchEvaluation.run(EvaluationSettings(dataset: .mvtec3d, data: root, output: nil, evaluationProtocol: .pointad),
                                                        loader: DatasetSampleLoader(), scorer: HeightScorer(), quiet: true))
        #expect(grid.classes[0].points == 3 * 336 * 336 && grid.classes[0].anomalousPoints > 0)
    }

    /// Rows `x y z label`; anomalous rows raised to z = 2.
    static func groundTruth(_ anomalous: [Int], count: Int, separator: String) -> String {
        (0..<count).map { i in ["\(Float(i) * 0.5)", "1.25", anomalous.contains(i) ? "2" : "1", anomalous.contains(i) ? "1" : "0"]
            .joined(separator: separator) }.joined(separator: "\n") + "\n"
    }

    static func asciiPCD(count: Int) -> String {
        "# .PCD v0.7\nVERSION 0.7\nFIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nCOUNT 1 1 1\nWIDTH \(count)\nHEIGHT 1\nVIEWPOINT 0 0 0 1 0 0 0\nPOINTS \(count)\nDATA ascii\n"
            + (0..<count).map { "\(Float($0) * 0.5) 1.25 1" }.joined(separator: "\n") + "\n"
    }

    @Test("Real3D-AD and Anomaly-ShapeNet: anomalous points from the gt txt, normal ones from the PCD", arguments: [DatasetKind.real3d, .shapenet])
    func pointSets(kind: DatasetKind) throws {
        let root = try TestPaths.temporaryDirectory("pointsets")
        let (c, sep, gtDir) = kind == .real3d ? ("duck", " ", "gt") : ("bowl0", ",", "GT")
        let names = kind == .real3d ? ["1_good", "2_good", "3_bulge", "4_sink"] : ["bowl0_positive0", "bowl0_positive1", "bowl0_crack0", "bowl0_hole1"]
        try Self.write(Self.asciiPCD(count: 30), root.appendingPathComponent("\(c)/train/\(c)_template0.pcd"))
        for n in names.prefix(2) { try Self.write(Self.asciiPCD(count: 30), root.appendingPathComponent("\(c)/test/\(n).pcd")) }
        for (i, n) in names.suffix(2).enumerated() {
            // The gt txt holds the .pcd's points (25 and 26 here) with their labels.
            try Self.write(Self.asciiPCD(count: 25 + i), root.appendingPathComponent("\(c)/test/\(n).pcd"))
            try Self.write(Self.groundTruth(i == 0 ? [3, 4, 5] : [20], count: 25 + i, separator: sep),
                           root.appendingPathComponent("\(c)/\(gtDir)/\(n).txt"))
        }
        let report = try #require(try BatchEvaluation.run(EvaluationSettings(dataset: kind, data: root, output: nil),
                                                          loader: DatasetSampleLoader(), scorer: HeightScorer(), quiet: true))
        let m = report.classes[0]
        #expect(report.failures.isEmpty)
        #expect(m.samples == 4 && m.anomalous == 2 && m.points == 30 + 30 + 25 + 26 && m.anomalousPoints == 4)
        #expect(m.objectAUROC == 1 && m.pointAUROC == 1 && m.aupro == nil)

        // A gt txt with fewer rows than its .pcd (another scan's ground truth) is refused, both counts named.
        try Self.write(Self.asciiPCD(count: 40), root.appendingPathComponent("\(c)/test/\(names[2]).pcd"))
        let sample = try #require(try DatasetWalker(kind: kind, root: root).samples().first { $0.stem == names[2] })
        #expect { try DatasetSampleLoader().load(sample) } throws: { "\($0)".contains("25 rows") && "\($0)".contains("40 points") }
    }

    @Test("Plain folder: PLY clouds with labels.csv and per-point .npy labels")
    func plain() throws {
        let root = try TestPaths.temporaryDirectory("plain-real")
        func ply(_ raised: [Int]) -> String {
            "ply\nformat ascii 1.0\nelement vertex 6\nproperty float x\nproperty float y\nproperty float z\nend_header\n"
                + (0..<6).map { "\($0) 0.5 \(raised.contains($0) ? 2 : 1)" }.joined(separator: "\n") + "\n"
        }
        try Self.write(ply([]), root.appendingPathComponent("parts/a.ply"))
        try Self.write(ply([1, 2]), root.appendingPathComponent("parts/b.ply"))
        try Self.write("stem,label\na,0\nb,1\n", root.appendingPathComponent("parts/labels.csv"))
        try NPYFile.write([0, 1, 1, 0, 0, 0] as [UInt8], to: root.appendingPathComponent("parts/gt/b.npy"))
        try NPYFile.write([0, 0, 0, 0, 0, 0] as [UInt8], to: root.appendingPathComponent("parts/gt/a.npy"))
        let report = try #require(try BatchEvaluation.run(EvaluationSettings(dataset: .plain, data: root, output: nil),
                                                          loader: DatasetSampleLoader(), scorer: HeightScorer(), quiet: true))
        #expect(report.classes[0].objectAUROC == 1 && report.classes[0].pointAUROC == 1 && report.classes[0].points == 12)
    }

    @Test("A corrupt file in a real layout is skipped with its path; the rest is evaluated")
    func corruptFile() throws {
        let root = try TestPaths.temporaryDirectory("mvtec-corrupt")
        try Self.mvtecSample(root, defect: "good", stem: "000", defective: [])
        try Self.mvtecSample(root, defect: "cut", stem: "000", defective: [6])
        try Self.mvtecSample(root, defect: "cut", stem: "001", defective: [7])
        let bad = root.appendingPathComponent("gizmo/test/cut/xyz/001.tiff")
        try Data(try Data(contentsOf: bad).prefix(40)).write(to: bad)
        try FileManager.default.removeItem(at: root.appendingPathComponent("gizmo/test/good/gt/000.png"))  // good: gt optional
        let report = try #require(try BatchEvaluation.run(EvaluationSettings(dataset: .mvtec3d, data: root, output: nil),
                                                          loader: DatasetSampleLoader(), scorer: HeightScorer(), quiet: true))
        #expect(report.failures.map(\.path) == [bad.path])
        #expect(report.classes[0].samples == 2 && report.classes[0].failed == 1 && report.classes[0].pointAUROC == 1)
    }
}
