import CLIP
import Foundation
import PointADSupport
import Testing
import TestSupport

/// `pointad metrics` on a tiny Real3D-AD tree with hand-computed answers, and the usage errors of
/// `pointad eval`.
@Suite("pointad eval and metrics")
struct EvalCommandTests {
    static func write(_ text: String, _ url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    static let pcd = "# .PCD v0.7\nVERSION 0.7\nFIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nCOUNT 1 1 1\nWIDTH 4\nHEIGHT 1\nPOINTS 4\nDATA ascii\n"
        + "0 0 1\n1 0 1\n2 0 1\n3 0 1\n"

    @Test("metrics over saved scores: object AUROC 3/4, AP 5/6, point AUROC 37/39 (counted by hand)")
    func metricsOverSavedScores() throws {
        let data = try TestPaths.temporaryDirectory("cli-real3d"), scores = try TestPaths.temporaryDirectory("cli-scores")
        try Self.write(Self.pcd, data.appendingPathComponent("duck/test/1_good.pcd"))
        try Self.write(Self.pcd, data.appendingPathComponent("duck/test/2_good.pcd"))
        try Self.write(Self.pcd, data.appendingPathComponent("duck/test/3_bulge.pcd"))
        try Self.write(Self.pcd, data.appendingPathComponent("duck/test/4_sink.pcd"))
        try Self.write("0 0 1 0\n1 0 1 0\n2 0 1 1\n3 0 1 1\n", data.appendingPathComponent("duck/gt/3_bulge.txt"))
        try Self.write("0 0 1 1\n1 0 1 0\n2 0 1 0\n3 0 1 0\n", data.appendingPathComponent("duck/gt/4_sink.txt"))
        let saved: [(String, [Float])] = [("good/1_good", [0.1, 0.2, 0.3, 0.4]), ("good/2_good", [0.1, 0.1, 0.6, 0.2]),
                                          ("bulge/3_bulge", [0.2, 0.3, 0.7, 0.5]), ("sink/4_sink", [0.5, 0.1, 0.2, 0.3])]
        for (name, values) in saved { try NPYFile.write(values, to: scores.appendingPathComponent("duck/\(name).npy")) }
        let out = try TestPaths.temporaryDirectory("cli-out")
        let r = try runPointad(["metrics", "--scores", scores.path, "--labels", data.path, "--out", out.path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("| duck | 75.0 | 83.3 | 94.9 | – |"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("results.json"))) as! [String: Any]
        #expect(json["dataset"] as? String == "real3d")
        let duck = (json["classes"] as! [[String: Any]])[0]
        #expect(abs((duck["p_auroc"] as! Double) - 37.0 / 39) < 1e-12)
        #expect(duck["aupro"] is NSNull)
        #expect(duck["points"] as? Int == 16 && duck["anomalous_points"] as? Int == 3)
    }

    @Test("usage errors: bad shard, missing partials, unknown dataset")
    func usageErrors() throws {
        let data = try TestPaths.temporaryDirectory("cli-empty")
        let bad = try runPointad(["eval", "--dataset", "real3d", "--data", data.path, "--model", "m", "--prompts", "p",
                                  "--out", data.path, "--shard", "8/8"])
        #expect(bad.status == 64 && bad.stderr.contains("8/8"))
        let merge = try runPointad(["eval", "merge", data.path, "--out", data.path])
        #expect(merge.status != 0 && merge.stderr.contains(data.appendingPathComponent("partial.json").path))
        let kind = try runPointad(["eval", "--dataset", "kitti", "--data", data.path, "--model", "m", "--prompts", "p", "--out", data.path])
        #expect(kind.status == 64)
    }

    /// Points on the faces of a cube, in PCD ascii; `raised` points pushed outwards (a bump).
    static func cube(seed: UInt64, count: Int = 500) -> [SIMD3<Float>] {
        let r = randomFloats(count * 3, seed: seed)
        return (0..<count).map { i in
            var q = SIMD3(r[3 * i], r[3 * i + 1], r[3 * i + 2])
            let axis = [abs(q.x), abs(q.y), abs(q.z)].enumerated().max { $0.element < $1.element }!.offset
            q[axis] = q[axis] < 0 ? -1 : 1
            return q
        }
    }

    static func pcd(_ points: [SIMD3<Float>]) -> String {
        "# .PCD v0.7\nVERSION 0.7\nFIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nCOUNT 1 1 1\nWIDTH \(points.count)\nHEIGHT 1\nPOINTS \(points.count)\nDATA ascii\n"
            + points.map { "\($0.x) \($0.y) \($0.z)\n" }.joined()
    }

    @Test("eval with the tiny detector: Real3D-AD tree, whole run equals 2 shards merged")
    func detectorRun() throws {
        let data = try TestPaths.temporaryDirectory("cli-eval-data"), work = try TestPaths.temporaryDirectory("cli-eval")
        for (i, name) in ["1_good", "2_good", "3_bulge", "4_bulge"].enumerated() {
            var points = Self.cube(seed: UInt64(i + 1))
            try Self.write(Self.pcd(points), data.appendingPathComponent("gear/test/\(name).pcd"))
            if name.contains("bulge") {
                let bump = points.indices.filter { points[$0].z == 1 && abs(points[$0].x) < 0.4 && abs(points[$0].y) < 0.4 }
                for j in bump { points[j].z += 0.3 }
                try Self.write(points.indices.map { "\(points[$0].x) \(points[$0].y) \(points[$0].z) \(bump.contains($0) ? 1 : 0)\n" }.joined(),
                               data.appendingPathComponent("gear/gt/\(name).txt"))
            }
        }
        let prompts = work.appendingPathComponent("prompts.safetensors")
        try PromptsFile.write(PromptSet.random(contextLength: 12, width: 64, depth: 3, deepLength: 4, seed: 3), to: prompts)
        let model = TestPaths.fixture("anomalyclip-tiny/model").path
        let common = ["eval", "--dataset", "real3d", "--data", data.path, "--model", model, "--prompts", prompts.path, "--quiet", "--threads", "1"]
        let whole = try runPointad(common + ["--out", work.appendingPathComponent("whole").path, "--save-scores"])
        #expect(whole.status == 0, "\(whole.stderr)")
        #expect(whole.stdout.contains("| gear |"))
        for k in 0..<2 {
            let r = try runPointad(common + ["--out", work.appendingPathComponent("part\(k)").path, "--shard", "\(k)/2", "--save-scores"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let merged = try runPointad(["eval", "merge", work.appendingPathComponent("part1").path, work.appendingPathComponent("part0").path,
                                     "--out", work.appendingPathComponent("merged").path, "--quiet"])
        #expect(merged.status == 0, "\(merged.stderr)")
        for name in ["results.json", "results.md", "samples.csv", "scores/gear/bulge/3_bulge.npy", "scores/gear/good/2_good.npy"] {
            let a = try Data(contentsOf: work.appendingPathComponent("whole/\(name)"))
            #expect(a == (try? Data(contentsOf: work.appendingPathComponent("merged/\(name)"))), "\(name) differs")
        }
        let scores = try NPYFile.read(work.appendingPathComponent("whole/scores/gear/bulge/3_bulge.npy"))
        #expect(scores.count == 500 && scores.floats().allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
    }
}
