import CLIP
import Foundation
import Testing
import TestSupport

/// `score`, `calibrate` and `eval` as a production line uses them: batches with broken files,
/// decisions from a calibration, outputs that never mix, and exit codes that tell the truth.
/// All with the tiny CLIP fixture and the built-in prompts (no --prompts).
@Suite("production line: batches, decisions, honest runs")
struct ProductionLineTests {
    static let model = TestPaths.fixture("anomalyclip-tiny").appendingPathComponent("model").path

    static func ply(_ points: [SIMD3<Float>]) -> String {
        "ply\nformat ascii 1.0\nelement vertex \(points.count)\nproperty float x\nproperty float y\nproperty float z\nend_header\n"
            + points.map { "\($0.x) \($0.y) \($0.z)\n" }.joined()
    }

    static func write(_ text: String, _ url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    static func json(_ text: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
    }

    @Test("10 clouds with 2 broken files: 8 results, 2 errors (stderr, JSON, summary.csv), exit non-zero")
    func brokenFilesInABatch() throws {
        let dir = try TestPaths.temporaryDirectory("prod-batch")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clouds = dir.appendingPathComponent("clouds"), out = dir.appendingPathComponent("out")
        for i in 0..<8 { try Self.write(Self.ply(EvalCommandTests.cube(seed: UInt64(i + 1), count: 300)), clouds.appendingPathComponent("part\(i).ply")) }
        try Self.write("ply\nformat ascii 1.0\nelement vertex 50\nproperty float x\nproperty float y\nproperty float z\nend_header\n1 2 3\n",
                       clouds.appendingPathComponent("truncated.ply"))
        try Self.write("not a cloud at all", clouds.appendingPathComponent("garbage.pcd"))
        let r = try runPointad(["score", clouds.path, "--model", Self.model, "--out", out.path, "--json", "--quiet"])
        #expect(r.status != 0)
        let entries = try Self.json(r.stdout)
        let scored = entries.filter { $0["objectScore"] != nil }, failed = entries.filter { $0["error"] != nil }
        #expect(scored.count == 8 && failed.count == 2)
        #expect(Set(failed.compactMap { ($0["file"] as? String).map { URL(fileURLWithPath: $0).lastPathComponent } }) == ["truncated.ply", "garbage.pcd"])
        #expect(r.stderr.contains("truncated.ply") && r.stderr.contains("garbage.pcd") && r.stderr.contains("2 of 10 inputs failed"), "\(r.stderr)")
        let csv = try String(contentsOf: out.appendingPathComponent("summary.csv"), encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 11)
        #expect(csv.filter { $0.contains(",scored,") }.count == 8 && csv.filter { $0.contains(",error,") }.count == 2)
        for i in 0..<8 { #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("part\(i).json").path)) }
        // No staging folder is left behind, and every result says which prompts made it.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasPrefix(".pointad-staging-") }
        #expect(leftovers.isEmpty)
        #expect(scored.allSatisfy { (($0["run"] as? [String: Any])?["prompts"] as? String) == "built-in WinCLIP templates" })
    }

    @Test("--recursive keeps relative paths under --out; clashing names are refused before any work")
    func recursiveAndCollisions() throws {
        let dir = try TestPaths.temporaryDirectory("prod-recursive")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clouds = dir.appendingPathComponent("clouds")
        try Self.write(Self.ply(EvalCommandTests.cube(seed: 1, count: 200)), clouds.appendingPathComponent("left/part.ply"))
        try Self.write(Self.ply(EvalCommandTests.cube(seed: 2, count: 200)), clouds.appendingPathComponent("right/part.ply"))
        let flat = try runPointad(["score", clouds.path, "--model", Self.model, "--quiet"])
        #expect(flat.status != 0 && flat.stderr.contains("--recursive"), "\(flat.stderr)")
        let out = dir.appendingPathComponent("out")
        let r = try runPointad(["score", clouds.path, "--recursive", "--model", Self.model, "--out", out.path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        for side in ["left", "right"] { #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("\(side)/part.ply").path)) }
        let clash = try runPointad(["score", clouds.appendingPathComponent("left/part.ply").path, clouds.appendingPathComponent("right/part.ply").path,
                                    "--model", Self.model, "--out", dir.appendingPathComponent("clash").path, "--quiet"])
        #expect(clash.status != 0 && clash.stderr.contains("would both write 'part.*'"), "\(clash.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("clash/part.ply").path))
    }

    @Test("calibrate at false-alarm rate 0 puts the threshold at the highest good score; score --calibration passes the good parts and marks defects")
    func calibrationAndDecisions() throws {
        let dir = try TestPaths.temporaryDirectory("prod-calibrate")
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("good")
        for i in 0..<4 { try Self.write(Self.ply(EvalCommandTests.cube(seed: UInt64(10 + i), count: 300)), good.appendingPathComponent("g\(i).ply")) }
        let plain = try runPointad(["score", good.path, "--model", Self.model, "--json", "--quiet"])
        #expect(plain.status == 0, "\(plain.stderr)")
        let scores = try Self.json(plain.stdout).compactMap { ($0["objectScore"] as? NSNumber)?.floatValue }
        #expect(scores.count == 4)
        let calibration = dir.appendingPathComponent("calibration.json")
        let c = try runPointad(["calibrate", "--good", good.path, "--model", Self.model, "--out", calibration.path,
                                "--false-alarm-rate", "0", "--point-false-alarm-rate", "0.05", "--quiet"])
        #expect(c.status == 0, "\(c.stderr)")
        let saved = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: calibration)) as? [String: Any])
        #expect((saved["objectThreshold"] as? NSNumber)?.floatValue == scores.max())
        #expect(saved["goodParts"] as? Int == 4)

        let out = dir.appendingPathComponent("out")
        let r = try runPointad(["score", good.path, "--model", Self.model, "--calibration", calibration.path, "--out", out.path, "--json", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let results = try Self.json(r.stdout)
        #expect(results.allSatisfy { $0["anomalous"] as? Bool == false && $0["threshold"] != nil })
        // 5% of the pooled good points lie above the point threshold, so some points are marked.
        let defects = results.compactMap { $0["defectPoints"] as? Int }.reduce(0, +)
        #expect(defects > 0 && defects <= 60)
        let header = try String(decoding: Data(contentsOf: out.appendingPathComponent("g0.ply")).prefix(1200), as: UTF8.self)
        #expect(header.contains("property float anomaly") && header.contains("property float defect") && header.contains("property float nx"))
        #expect(header.contains("comment pointad_calibration \(calibration.path)"))

        // A threshold below every score flags every part.
        let low = try runPointad(["score", good.path, "--model", Self.model, "--threshold", "0", "--json", "--quiet"])
        #expect(try Self.json(low.stdout).allSatisfy { $0["anomalous"] as? Bool == true })
        // A calibration made with other prompts is refused, naming the difference.
        let prompts = dir.appendingPathComponent("prompts.safetensors")
        try PromptsFile.write(PromptSet.random(contextLength: 12, width: 64, depth: 3, deepLength: 4, seed: 3), to: prompts)
        let other = try runPointad(["score", good.path, "--model", Self.model, "--prompts", prompts.path, "--calibration", calibration.path, "--quiet"])
        #expect(other.status != 0 && other.stderr.contains("prompts"), "\(other.stderr)")
    }

    @Test("two score runs into one --out with the same stem leave one run's whole set; stale staging of a dead process is removed")
    func concurrentRunsNeverMix() throws {
        let dir = try TestPaths.temporaryDirectory("prod-concurrent")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        // A staging folder of a process that cannot exist (pid above Linux's maximum).
        let stale = out.appendingPathComponent(".pointad-staging-99999999-1")
        try Self.write("half-written", stale.appendingPathComponent("part.ply"))
        let a = dir.appendingPathComponent("a/part.ply"), b = dir.appendingPathComponent("b/part.ply")
        try Self.write(Self.ply(EvalCommandTests.cube(seed: 1, count: 300)), a)
        try Self.write(Self.ply(EvalCommandTests.cube(seed: 2, count: 700)), b)
        let runs = [a, b]
        let group = DispatchGroup()
        let results = LockedResults()
        for input in runs {
            DispatchQueue.global().async(group: group) {
                let r = try? runPointad(["score", input.path, "--model", Self.model, "--out", out.path, "--quiet"])
                results.append(r?.status ?? -1)
            }
        }
        group.wait()
        #expect(results.values == [0, 0])
        #expect(!FileManager.default.fileExists(atPath: stale.path))
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("part.json"))) as? [String: Any])
        let header = try String(decoding: Data(contentsOf: out.appendingPathComponent("part.ply")).prefix(800), as: UTF8.self)
        let points = try #require(summary["points"] as? Int)
        #expect(header.contains("element vertex \(points)\n"), "JSON says \(points) points; PLY header: \(header)")
        #expect((summary["file"] as? String).map { $0.hasSuffix(points == 300 ? "a/part.ply" : "b/part.ply") } == true)
    }

    @Test("eval exits non-zero when every sample fails and when more than half fail; leaves out the training classes")
    func honestEvaluation() throws {
        let dir = try TestPaths.temporaryDirectory("prod-eval")
        defer { try? FileManager.default.removeItem(at: dir) }
        func tree(_ name: String, broken: Int, of total: Int) throws -> URL {
            let root = dir.appendingPathComponent(name)
            for i in 0..<total {
                let text = i < broken ? "# .PCD v0.7\nbroken\n" : EvalCommandTests.pcd(EvalCommandTests.cube(seed: UInt64(i + 1), count: 300))
                try Self.write(text, root.appendingPathComponent("widget/test/\(i)_good.pcd"))
            }
            try FileManager.default.createDirectory(at: root.appendingPathComponent("widget/gt"), withIntermediateDirectories: true)
            return root
        }
        func eval(_ root: URL, _ extra: [String] = []) throws -> CommandResult {
            try runPointad(["eval", "--dataset", "real3d", "--data", root.path, "--model", Self.model,
                            "--out", dir.appendingPathComponent("out-\(root.lastPathComponent)").path, "--quiet"] + extra)
        }
        let all = try eval(try tree("all", broken: 3, of: 3))
        #expect(all.status != 0 && all.stderr.contains("no sample was scored"), "\(all.stderr)")
        let most = try eval(try tree("most", broken: 2, of: 3))
        #expect(most.status != 0 && most.stderr.contains("more than half"), "\(most.stderr)")
        let half = try eval(try tree("half", broken: 1, of: 2))
        #expect(half.status == 0, "\(half.stderr)")

        // A prompts file whose metadata says it was trained on real3d's "widget": nothing is left.
        let prompts = dir.appendingPathComponent("prompts.safetensors")
        try PromptsFile.write(PromptSet.random(contextLength: 12, width: 64, depth: 3, deepLength: 4, seed: 3), to: prompts,
                                   metadata: ["dataset": "real3d", "classes": "widget"])
        let root = try tree("ok", broken: 0, of: 2)
        let excluded = try eval(root, ["--prompts", prompts.path])
        #expect(excluded.status != 0 && excluded.stderr.contains("--include-training-classes"), "\(excluded.stderr)")
        let included = try eval(root, ["--prompts", prompts.path, "--include-training-classes"])
        #expect(included.status == 0, "\(included.stderr)")
        // The layout says Real3D-AD: asking for Anomaly-ShapeNet is refused.
        let wrong = try runPointad(["eval", "--dataset", "shapenet", "--data", root.path, "--model", Self.model, "--out", dir.appendingPathComponent("w").path])
        #expect(wrong.status != 0 && wrong.stderr.contains("real3d layout"), "\(wrong.stderr)")
    }
}

/// Exit statuses gathered from concurrent runs.
final class LockedResults: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Int32] = []
    func append(_ value: Int32) { lock.lock(); items.append(value); lock.unlock() }
    var values: [Int32] { lock.lock(); defer { lock.unlock() }; return items }
}
