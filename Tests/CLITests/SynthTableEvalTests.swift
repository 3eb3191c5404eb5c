import CLIP
import Foundation
import PointClouds
import Testing
import TestSupport

/// `pointad synth --layout mvtec3d` writes raw table scans by default, and `pointad eval` runs
/// on them end to end with the reference preprocessing applied on the fly (`--preprocess btf`).
@Suite("synth raw scans through eval")
struct SynthTableEvalTests {
    @Test("synth (table scene) → eval --preprocess btf: every sample scored on the padded grid")
    func rawScansEvaluate() throws {
        let work = try TestPaths.temporaryDirectory("cli-synth-table")
        defer { try? FileManager.default.removeItem(at: work) }
        let data = work.appendingPathComponent("data")
        let synth = try runPointad(["synth", "--layout", "mvtec3d", "--out", data.path, "--classes", "1", "--samples", "2", "--train", "1",
                                    "--width", "128", "--height", "112", "--seed", "5", "--quiet"])
        #expect(synth.status == 0, "\(synth.stderr)")
        let manifest = try String(contentsOf: data.appendingPathComponent("synthetic.json"), encoding: .utf8)
        #expect(manifest.contains("\"scene\": \"table\""), "\(manifest)")
        // Raw: the table fills the frame, so the 10-pixel edge band is full of points.
        let className = try #require(try FileManager.default.contentsOfDirectory(atPath: data.path).first { !$0.hasSuffix(".json") })
        let xyz = try XYZTIFFFile.read(data.appendingPathComponent("\(className)/test/good/xyz/000.tiff"))
        #expect(BTFPreprocessing().edgePoints(xyz).count > 3_000)

        let prompts = work.appendingPathComponent("prompts.safetensors")
        try PromptsFile.write(PromptSet.random(contextLength: 12, width: 64, depth: 3, deepLength: 4, seed: 3), to: prompts)
        let out = work.appendingPathComponent("eval")
        let eval = try runPointad(["eval", "--dataset", "mvtec3d", "--data", data.path, "--model", TestPaths.fixture("anomalyclip-tiny/model").path,
                                   "--prompts", prompts.path, "--preprocess", "btf", "--out", out.path, "--quiet", "--threads", "1"])
        #expect(eval.status == 0, "\(eval.stderr)")
        let results = try String(contentsOf: out.appendingPathComponent("results.json"), encoding: .utf8)
        #expect(results.contains("btf (MVTec 3D-AD reference preprocessing"))
        let rows = try String(contentsOf: out.appendingPathComponent("samples.csv"), encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 1 + 2, "\(rows)")
    }

    @Test("--scene object keeps the object-only scans; an unknown scene is refused")
    func objectScene() throws {
        let work = try TestPaths.temporaryDirectory("cli-synth-object")
        defer { try? FileManager.default.removeItem(at: work) }
        let data = work.appendingPathComponent("data")
        let synth = try runPointad(["synth", "--layout", "mvtec3d", "--scene", "object", "--out", data.path, "--classes", "1", "--samples", "1",
                                    "--train", "1", "--width", "64", "--height", "48", "--quiet"])
        #expect(synth.status == 0, "\(synth.stderr)")
        let className = try #require(try FileManager.default.contentsOfDirectory(atPath: data.path).first { !$0.hasSuffix(".json") })
        let xyz = try XYZTIFFFile.read(data.appendingPathComponent("\(className)/test/good/xyz/000.tiff"))
        // No table: the frame's corners are empty, and the object has points.
        for (x, y) in [(0, 0), (63, 0), (0, 47), (63, 47)] { #expect(!XYZImage.isValid(xyz[x, y])) }
        #expect(xyz.validPixelIndices.count > 200)
        let bad = try runPointad(["synth", "--layout", "mvtec3d", "--scene", "floor", "--out", work.appendingPathComponent("x").path])
        #expect(bad.status != 0 && bad.stderr.contains("unknown --scene 'floor'"), "\(bad.stderr)")
    }
}
