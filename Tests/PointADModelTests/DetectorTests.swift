import CLIP
import Foundation
import Imaging
import PointADModel
import PointADSupport
import PointClouds
import Rendering
import Testing
import TensorCore
import TestSupport

/// The detector end to end on the PointAD authors' tiny CLIP (Fixtures/anomalyclip-tiny: 56 px
/// input, 4×4 patches, text width 64) with random prompts: nine views rendered, scored and mapped
/// back; outputs written; bad inputs refused before any heavy work.
@Suite("detector end to end")
struct DetectorTests {
    static let model = TestPaths.fixture("anomalyclip-tiny").appendingPathComponent("model")

    /// A unit sphere of `n` points (Fibonacci lattice) with a bump on +z.
    static func sphere(_ n: Int) -> PointCloud {
        let golden = Float.pi * (3 - Float(5).squareRoot())
        let points = (0..<n).map { i -> SIMD3<Float> in
            let y = 1 - 2 * (Float(i) + 0.5) / Float(n), r = (1 - y * y).squareRoot(), t = golden * Float(i)
            var p = SIMD3<Float>(r * Foundation.cos(t), y, r * Foundation.sin(t))
            if p.z > 0.9 { p *= 1.15 }
            return p
        }
        return PointCloud(positions: points, source: "sphere")
    }

    static func prompts(in directory: URL, width: Int = 64, geometry: Bool = true) throws -> URL {
        let url = directory.appendingPathComponent("prompts-\(width)-\(geometry).safetensors")
        let rendering = PromptSet.random(contextLength: 12, width: width, depth: 3, deepLength: 4, seed: 1)
        let g = geometry ? PromptSet.random(contextLength: 12, width: width, depth: 3, deepLength: 4, seed: 2) : nil
        try HierarchicalPrompts(rendering: rendering, geometry: g).write(to: url)
        return url
    }

    static func settings(_ method: DetectionMethod) -> DetectorSettings {
        var s = DetectorSettings(render: RenderSettings(size: 56, supersampling: 2))
        s.scoring.method = method
        s.dpamLayer = 3
        return s
    }

    @Test("scores are finite and in [0, 1]; nine views with maps; outputs written", arguments: DetectionMethod.allCases)
    func endToEnd(method: DetectionMethod) throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let detector = try Detector(model: Self.model, prompts: Self.prompts(in: directory), settings: Self.settings(method))
        let cloud = Self.sphere(1500)
        let detection = try detector.score(cloud)
        #expect(detection.pointScores.count == cloud.count)
        for s in detection.pointScores + [detection.objectScore] { #expect(s.isFinite && s >= 0 && s <= 1) }
        #expect(detection.views.count == 9)
        #expect((0..<9).allSatisfy { detection.anomalyMap(view: $0).count == 56 * 56 })
        #expect((detection.scores.geometryPointScores != nil) == (method == .pointadPlus))
        // Object score = ½·max(smoothed point scores) + ½·mean view probability (unorganised cloud).
        let expected = 0.5 * detection.pointScores.max()! + 0.5 * detection.scores.globalProbability
        #expect(abs(detection.objectScore - expected) < 1e-6)

        let summary = try DetectionReport.write(detection, cloud: cloud, stem: "sphere", to: directory, randomWeights: true)
        #expect(summary.outputs.count == 13 && summary.randomWeights)
        let back = try PointCloudFile.read(directory.appendingPathComponent("sphere.ply"))
        #expect(back.count == cloud.count)
        #expect(maxAbsoluteError(try #require(back.scalars["anomaly"]), detection.pointScores) < 1e-6)
        let overlay = try PNGFile.read(directory.appendingPathComponent("sphere_view4.png"))
        #expect(overlay.width == 56 && overlay.height == 56)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("sphere.json"))) as? [String: Any]
        #expect((json?["objectScore"] as? Double).map { abs(Float($0) - detection.objectScore) < 1e-6 } == true)
    }

    @Test("organised scan larger than the views: resampled to the render size, every input point scored")
    func organised() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let detector = try Detector(model: Self.model, prompts: Self.prompts(in: directory), settings: Self.settings(.pointad))
        // A 100×100 height field with a bump, every pixel valid.
        var image = XYZImage(width: 100, height: 100)
        for y in 0..<100 {
            for x in 0..<100 {
                let u = Float(x) / 99 - 0.5, v = Float(y) / 99 - 0.5
                image.values[3 * (y * 100 + x)] = u
                image.values[3 * (y * 100 + x) + 1] = v
                image.values[3 * (y * 100 + x) + 2] = 1 + 0.2 * Foundation.exp(-(u * u + v * v) * 40)
            }
        }
        let cloud = image.pointCloud(source: "scan")
        let detection = try detector.score(cloud)
        #expect(detection.scoredCloud.count == 56 * 56)
        #expect(detection.pointScores.count == cloud.count)
        let map = try #require(detection.scores.gridMap)
        // Input pixel (99, 99) lies in cell (55, 55) of the 56×56 grid.
        #expect(detection.pointScores[99 * 100 + 99] == map[55 * 56 + 55])
        #expect(abs(detection.objectScore - (0.5 * map.max()! + 0.5 * detection.scores.globalProbability)) < 1e-6)
    }

    @Test("RGB plug-and-play on an organised scan: fused map and half the reference's fused score")
    func rgbFusion() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let detector = try Detector(model: Self.model, prompts: Self.prompts(in: directory), settings: Self.settings(.pointad))
        var image = XYZImage(width: 56, height: 56)
        for y in 0..<56 { for x in 0..<56 {
            image.values[3 * (y * 56 + x)] = Float(x) / 56
            image.values[3 * (y * 56 + x) + 1] = Float(y) / 56
            image.values[3 * (y * 56 + x) + 2] = 1 + Float((x - 28) * (x - 28) + (y - 20) * (y - 20)) / 4000
        } }
        let cloud = image.pointCloud(source: "scan")
        let rgb = Image(width: 56, height: 56, channels: 3, pixels: randomFloats(56 * 56 * 3, seed: 9).map { 0.5 + 0.5 * $0 })
        let plain = try detector.score(cloud)
        let fused = try detector.score(cloud, rgb: rgb)
        let p = try #require(fused.scores.rgbGlobalProbability), map = try #require(fused.scores.gridMap)
        #expect(abs(fused.objectScore - (0.5 * map.max()! + 0.25 * (p + fused.scores.globalProbability))) < 1e-6)
        #expect(fused.pointScores == cloud.grid!.pixelIndices.map { map[$0] })
        #expect(fused.pointScores != plain.pointScores)
        for s in fused.pointScores + [fused.objectScore] { #expect(s.isFinite && s >= 0 && s <= 1) }
        // Colour needs pixel alignment: an unorganised cloud with an image is refused.
        #expect(throws: (any Error).self) { try detector.score(Self.sphere(200), rgb: rgb) }
    }

    @Test("bad inputs fail early with the file and the problem named")
    func badInputs() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        func message(_ body: () throws -> Void) -> String {
            do { try body(); return "" } catch { return "\(error)" }
        }
        // A prompts file for another model width names both widths.
        let wide = try Self.prompts(in: directory, width: 768)
        let m1 = message { _ = try Detector(model: Self.model, prompts: wide, settings: Self.settings(.pointad)) }
        #expect(m1.contains("768") && m1.contains("64"), "\(m1)")
        // A model folder without weights.
        let empty = directory.appendingPathComponent("model")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.model.appendingPathComponent("config.json"), to: empty.appendingPathComponent("config.json"))
        let m2 = message { _ = try Detector(model: empty, prompts: try Self.prompts(in: directory), settings: Self.settings(.pointad)) }
        #expect(m2.contains("model.safetensors") && m2.contains(empty.path), "\(m2)")
        // PointAD+ asked of a PointAD prompts file.
        let plain = try Self.prompts(in: directory, geometry: false)
        let m3 = message { _ = try Detector(model: Self.model, prompts: plain, settings: Self.settings(.pointadPlus)) }
        #expect(m3.contains("geometry") && m3.contains(plain.path), "\(m3)")
        // An empty cloud.
        let detector = try Detector(model: Self.model, prompts: plain, settings: Self.settings(.pointad))
        let m4 = message { _ = try detector.score(PointCloud(positions: [], source: "nothing.ply")) }
        #expect(m4.contains("nothing.ply") && m4.contains("empty"), "\(m4)")
    }
}
