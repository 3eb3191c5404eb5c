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

/// Issue 16's attacks on the detector: non-finite models and prompts, clouds at float's limits,
/// duplicate points, files that disagree. Each must end in a clear error naming the file and the
/// tensor or stage, before any output is written, or in finite scores; never in NaN or a blank.
@Suite struct RobustnessTests {
    static let model = DetectorTests.model

    /// A copy of the tiny model folder with `edit` applied to its tensors and `config` to its JSON.
    static func modelCopy(in directory: URL, config: (inout [String: Any]) -> Void = { _ in },
                          edit: (String, Tensor) -> Void = { _, _ in }) throws -> URL {
        let folder = directory.appendingPathComponent("model")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["vocab.json", "merges.txt"] {
            try FileManager.default.copyItem(at: model.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: model.appendingPathComponent("config.json"))) as! [String: Any]
        config(&json)
        try JSONSerialization.data(withJSONObject: json).write(to: folder.appendingPathComponent("config.json"))
        let source = try SafetensorsFile(contentsOf: model.appendingPathComponent("model.safetensors"))
        var writer = SafetensorsWriter(metadata: source.metadata)
        for name in source.names {
            if try source.entry(name).dtype == .f32 {
                let t = try source.tensor(name).copy()
                edit(name, t)
                try writer.add(name, t)
            } else {
                let (shape, values) = try source.int32Values(name)
                try writer.add(name, int32: values, shape: shape)
            }
        }
        try writer.write(to: folder.appendingPathComponent("model.safetensors"))
        return folder
    }

    static func outputs(_ directory: URL) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    }

    @Test func aNaNWeightIsNamedWithItsFileAndTensor() throws {
        let directory = try TestPaths.temporaryDirectory("robust-nan-weight")
        defer { try? FileManager.default.removeItem(at: directory) }
        let name = "vision_model.encoder.layers.0.mlp.fc1.weight"
        let folder = try Self.modelCopy(in: directory, edit: { n, t in if n == name { t.pointer[5] = .nan } })
        #expect { try Detector(model: folder, prompts: DetectorTests.prompts(in: directory), settings: DetectorTests.settings(.pointad)) } throws: {
            let e = $0 as? FileError
            return e?.path.hasSuffix("model/model.safetensors") == true && e!.problem.contains("'\(name)'") && e!.problem.contains("element 5")
        }
    }

    @Test func negativeLayerNormEpsilonIsRefused() throws {
        let directory = try TestPaths.temporaryDirectory("robust-eps")
        defer { try? FileManager.default.removeItem(at: directory) }
        let folder = try Self.modelCopy(in: directory, config: { json in
            var vision = json["vision_config"] as! [String: Any]
            vision["layer_norm_eps"] = -1.0
            json["vision_config"] = vision
        })
        #expect { try CLIPModel(directory: folder) } throws: { "\($0)".contains("vision_config.layer_norm_eps is -1.0") && "\($0)".contains("config.json") }
    }

    /// Finite weights that overflow float32 on every input: stopped at the vision tower, named,
    /// and `score --out` leaves no file.
    @Test func overflowIsStoppedAtTheStageBeforeAnythingIsWritten() throws {
        let directory = try TestPaths.temporaryDirectory("robust-overflow")
        defer { try? FileManager.default.removeItem(at: directory) }
        let folder = try Self.modelCopy(in: directory, edit: { n, t in
            if n == "vision_model.embeddings.patch_embedding.weight" { for i in 0..<t.count { t.pointer[i] = 3e38 } }
        })
        let detector = try Detector(model: folder, prompts: DetectorTests.prompts(in: directory), settings: DetectorTests.settings(.pointad))
        let cloudURL = directory.appendingPathComponent("sphere.ply")
        try PointCloudFile.write(DetectorTests.sphere(400), to: cloudURL, heatMap: nil)
        let out = directory.appendingPathComponent("out")
        #expect { try ScoreRun(detector: detector, outputDirectory: out).run([cloudURL]) { _ in } } throws: {
            "\($0)".contains("the vision tower of \(folder.path)") && "\($0)".contains("non-finite") && "\($0)".hasPrefix(cloudURL.path)
        }
        // Only the run's summary.csv, which lists the failure; no cloud output, nothing with NaN.
        #expect(Self.outputs(out).filter { $0 != "summary.csv" }.isEmpty, "\(Self.outputs(out))")
        let summary = try String(contentsOf: out.appendingPathComponent("summary.csv"), encoding: .utf8)
        #expect(summary.contains("non-finite") && !summary.lowercased().contains(",nan"))
    }

    @Test func nonFinitePromptsAreNamedByTensor() throws {
        let directory = try TestPaths.temporaryDirectory("robust-prompts")
        defer { try? FileManager.default.removeItem(at: directory) }
        for (label, value) in [("nan", Float.nan), ("inf", Float.infinity)] {
            let rendering = PromptSet.random(contextLength: 12, width: 64, depth: 3, deepLength: 4, seed: 1)
            rendering.deepTokens[1].pointer[3] = value
            let url = directory.appendingPathComponent("\(label).safetensors")
            try HierarchicalPrompts(rendering: rendering).write(to: url)
            #expect { try HierarchicalPrompts.read(url) } throws: {
                ($0 as? FileError)?.path == url.path && "\($0)".contains("'compound_prompts_text.1'") && "\($0)".contains("\(value)")
            }
        }
    }

    /// A prompts file that lost a deep-prompt tensor (rendering or geometry set) is refused, not
    /// read as a shallower set.
    @Test func aMissingDeepPromptTensorIsNamed() throws {
        let directory = try TestPaths.temporaryDirectory("robust-deep")
        defer { try? FileManager.default.removeItem(at: directory) }
        let full = try DetectorTests.prompts(in: directory)   // depth 3: compound_prompts_text.0 and .1 in both sets
        let file = try SafetensorsFile(contentsOf: full)
        for dropped in ["compound_prompts_text.1", "geometry.compound_prompts_text.1"] {
            var writer = SafetensorsWriter(metadata: file.metadata)
            for name in file.names where name != dropped { try writer.add(name, file.tensor(name)) }
            let url = directory.appendingPathComponent("without-\(dropped).safetensors")
            try writer.write(to: url)
            #expect { try HierarchicalPrompts.read(url) } throws: { ($0 as? FileError)?.path == url.path && "\($0)".contains("'\(dropped)' is missing") }
        }
    }

    /// Coordinates near float's limits: the same shape scaled by 2^100 or 2^127 scores exactly as
    /// at unit size (it used to give NaN with PointAD+ and blank renders at 3e38).
    @Test("extreme coordinates score as the same shape at unit size", arguments: DetectionMethod.allCases)
    func extremeCoordinates(method: DetectionMethod) throws {
        let directory = try TestPaths.temporaryDirectory("robust-extreme")
        defer { try? FileManager.default.removeItem(at: directory) }
        let detector = try Detector(model: Self.model, prompts: DetectorTests.prompts(in: directory), settings: DetectorTests.settings(method))
        let unit = DetectorTests.sphere(800)
        let reference = try detector.score(unit)
        for exponent in [100, 127] {
            let factor = Float(sign: .plus, exponent: exponent, significand: 1)
            let detection = try detector.score(unit.scaled(by: factor))
            #expect(detection.objectScore == reference.objectScore, "2^\(exponent)")
            #expect(detection.pointScores == reference.pointScores, "2^\(exponent)")
            let image = try #require(detection.views[0].image)
            #expect(Set(image.pixels).count > 10, "2^\(exponent): the render is not blank")
        }
        // Not powers of two, or so small that some coordinates lose bits: finite and not blank.
        for factor: Float in [2.9e38, 1e30, 1e-30] {
            let d = try detector.score(unit.scaled(by: factor))
            #expect(d.pointScores.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 } && d.objectScore.isFinite, "\(factor)")
            #expect(Set(try #require(d.views[0].image).pixels).count > 10, "\(factor)")
        }
    }

    /// Thousands of copies of one point beside a sphere score like any other cloud; every copy gets one score.
    @Test func duplicatePointsScoreFinitely() throws {
        let directory = try TestPaths.temporaryDirectory("robust-duplicates")
        defer { try? FileManager.default.removeItem(at: directory) }
        let detector = try Detector(model: Self.model, prompts: DetectorTests.prompts(in: directory), settings: DetectorTests.settings(.pointadPlus))
        var cloud = DetectorTests.sphere(1000)
        cloud.positions += Array(repeating: SIMD3(1.4, 0, 0), count: 20_000)
        let detection = try detector.score(cloud)
        #expect(detection.pointScores.count == 21_000 && detection.pointScores.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
    }

    @Test func anRGBImageOfAnotherSizeIsRefusedWithBothSizes() throws {
        let directory = try TestPaths.temporaryDirectory("robust-rgb")
        defer { try? FileManager.default.removeItem(at: directory) }
        let detector = try Detector(model: Self.model, prompts: DetectorTests.prompts(in: directory), settings: DetectorTests.settings(.pointad))
        var image = XYZImage(width: 40, height: 30)
        for i in 0..<(40 * 30) { image.values[3 * i] = Float(i % 40); image.values[3 * i + 1] = Float(i / 40); image.values[3 * i + 2] = 5 }
        let rgb = Image(width: 56, height: 56, channels: 3, pixels: [Float](repeating: 0.5, count: 56 * 56 * 3))
        #expect { try detector.score(image.pointCloud(source: "scan.tiff"), rgb: rgb) } throws: {
            "\($0)".hasPrefix("scan.tiff") && "\($0)".contains("56×56") && "\($0)".contains("40×30")
        }
    }
}
