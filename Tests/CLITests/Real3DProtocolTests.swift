import Foundation
import PointADSupport
import Testing
import TestSupport

/// `eval --protocol pointad` on synthetic Real3D-AD trees scored by the tiny detector: PointAD's
/// `test_only_point.py` protocol (P-AUROC over the resampled points, their labels carried from the
/// input, no AU-PRO), against `--protocol points` (the input's own points).
@Suite("Real3D-AD under PointAD's protocol")
struct Real3DProtocolTests {
    static let model = TestPaths.fixture("anomalyclip-tiny/model").path

    static func synth(points: Int, samples: Int, in work: URL) throws -> URL {
        let data = work.appendingPathComponent("data")
        let r = try runPointad(["synth", "--layout", "real3d", "--out", data.path, "--classes", "1", "--samples", "\(samples)",
                                "--points", "\(points)", "--seed", "5", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        return data
    }

    static func eval(_ data: URL, out: URL, _ extra: [String]) throws -> CommandResult {
        try runPointad(["eval", "--dataset", "real3d", "--data", data.path, "--model", model, "--out", out.path,
                        "--quiet", "--threads", "1", "--no-pictures"] + extra)
    }

    static func results(_ folder: URL) throws -> (json: [String: Any], first: [String: Any]) {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("results.json"))) as! [String: Any]
        return (json, (json["classes"] as! [[String: Any]])[0])
    }

    /// Per-point labels of a sample as the dataset gives them: the gt txt's last column, else all 0.
    static func inputLabels(_ data: URL, className: String, stem: String, count: Int) throws -> [UInt8] {
        let gt = data.appendingPathComponent("\(className)/gt/\(stem).txt")
        guard FileManager.default.fileExists(atPath: gt.path) else { return [UInt8](repeating: 0, count: count) }
        return try String(contentsOf: gt, encoding: .utf8).split(whereSeparator: \.isNewline).map {
            $0.split(separator: " ").last == "0" ? 0 : 1
        }
    }

    /// AUROC by counting every (anomalous, normal) pair, ties half: independent of the metrics code.
    static func pairwiseAUROC(_ scores: [Float], _ labels: [UInt8]) -> Double {
        let positives = zip(scores, labels).filter { $0.1 != 0 }.map(\.0).sorted()
        let negatives = zip(scores, labels).filter { $0.1 == 0 }.map(\.0).sorted()
        var wins = 0.0, below = 0, equal = 0
        for p in positives {
            while below < negatives.count && negatives[below] < p { below += 1 }
            equal = below
            while equal < negatives.count && negatives[equal] == p { equal += 1 }
            wins += Double(below) + 0.5 * Double(equal - below)
        }
        return wins / Double(positives.count * negatives.count)
    }

    @Test("small clouds: P-AUROC over the 10·N resampled points with carried labels, AU-PRO absent; points keeps N")
    func smallClouds() throws {
        let work = try TestPaths.temporaryDirectory("real3d-protocol")
        defer { try? FileManager.default.removeItem(at: work) }
        let n = 800
        let data = try Self.synth(points: n, samples: 4, in: work)
        let out = work.appendingPathComponent("pointad")
        let run = try Self.eval(data, out: out, ["--protocol", "pointad", "--save-scores"])
        #expect(run.status == 0, "\(run.stderr)")
        let (json, c) = try Self.results(out)
        #expect(json["protocol"] as? String == "pointad" && json["behaviour"] as? String == "reference")
        #expect((json["metrics"] as! [String: String])["p_auroc"]!.contains("interpolation_points_with_gt_colors"))
        #expect(c["aupro"] is NSNull && c["aupro_pointad"] is NSNull)
        #expect(run.stdout.contains("AUPRO: not computed"))

        // Every sample: 10·N scored points, the input's first; labels carried from the gt rows.
        let className = c["class"] as! String
        var pooledScores: [Float] = [], pooledLabels: [UInt8] = []
        let folders = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("scores/\(className)").path)
        for defect in folders {
            let folder = out.appendingPathComponent("scores/\(className)/\(defect)")
            for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".resampled.npy") {
                let stem = String(file.dropLast(".resampled.npy".count))
                let scores = try NPYFile.read(folder.appendingPathComponent(file)).floats()
                let sources = try #require(try NPYFile.read(folder.appendingPathComponent(stem + ".resampled-sources.npy")).int32s())
                #expect(scores.count == 10 * n && sources.count == 10 * n)
                #expect(sources.prefix(n).map(Int.init) == Array(0..<n))
                #expect(sources.allSatisfy { $0 >= 0 && $0 < n })
                #expect(try NPYFile.read(folder.appendingPathComponent(stem + ".npy")).count == n, "input-order scores stay one per input point")
                let labels = try Self.inputLabels(data, className: className, stem: stem, count: n)
                pooledScores += scores
                pooledLabels += sources.map { labels[Int($0)] }
            }
        }
        #expect(pooledScores.count == 4 * 10 * n && c["points"] as? Int == 4 * 10 * n)
        #expect(c["anomalous_points"] as? Int == pooledLabels.filter { $0 != 0 }.count)
        #expect(pooledLabels.contains(1))
        let auroc = try #require(c["p_auroc"] as? Double)
        #expect(abs(auroc - Self.pairwiseAUROC(pooledScores, pooledLabels)) < 1e-9)

        // `metrics` over the saved scores reproduces the run; `--protocol points` scores the input points.
        let again = try runPointad(["metrics", "--scores", out.path, "--labels", data.path, "--out", work.appendingPathComponent("metrics").path, "--quiet"])
        #expect(again.status == 0, "\(again.stderr)")
        let m = try Self.results(work.appendingPathComponent("metrics")).first
        #expect(m["p_auroc"] as? Double == auroc && m["points"] as? Int == 4 * 10 * n)
        let byPoints = work.appendingPathComponent("points")
        let plain = try Self.eval(data, out: byPoints, ["--protocol", "points"])
        #expect(plain.status == 0, "\(plain.stderr)")
        let p = try Self.results(byPoints)
        #expect(p.json["protocol"] as? String == "points" && p.first["points"] as? Int == 4 * n)
        // The two protocols share the object scores.
        #expect(p.first["i_auroc"] as? Double == c["i_auroc"] as? Double)

        let refused = try Self.eval(data, out: work.appendingPathComponent("none"), ["--protocol", "pointad", "--resample", "none"])
        #expect(refused.status == 64 && refused.stderr.contains("--protocol points"), "\(refused.stderr)")
    }

    @Test("clouds of 11,290 points or more are scored on exactly 112,896 resampled points")
    func largeClouds() throws {
        let work = try TestPaths.temporaryDirectory("real3d-protocol-large")
        defer { try? FileManager.default.removeItem(at: work) }
        let data = try Self.synth(points: 12_000, samples: 2, in: work)
        let out = work.appendingPathComponent("pointad")
        let run = try Self.eval(data, out: out, ["--protocol", "pointad"])
        #expect(run.status == 0, "\(run.stderr)")
        let (json, c) = try Self.results(out)
        #expect(json["samples"] as? Int == 2 && c["points"] as? Int == 2 * 112_896)
    }
}
