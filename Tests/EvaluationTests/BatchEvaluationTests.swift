import Foundation
import PointADSupport
import PointClouds
import Testing
import TensorCore
import TestSupport
@testable import Evaluation

// The batch run must turn a walk into exactly the numbers the metrics give, survive bad samples,
// and produce the same files whether run at once or as shards merged afterwards. A fake loader and
// scorer stand in for the file readers and the model: this tests the pipeline, not the detector.
@Suite("Batch evaluation with a fake scorer")
struct BatchEvaluationTests {
    /// Stable across processes (Swift's hashValue is seeded per process).
    static func seed(_ s: String) -> UInt64 { s.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 } }

    /// Clouds of 40–59 points; anomalous samples have two defect regions (points 0–4 and 10–12).
    struct FakeLoader: SampleLoading {
        var broken: Set<String> = []
        func load(_ sample: SampleDescriptor) throws -> LoadedSample {
            if broken.contains(sample.stem) { throw FileError(sample.points, "truncated TIFF strip") }
            let n = 40 + Int(BatchEvaluationTests.seed(sample.stem) % 20)
            var regions = [Int32](repeating: 0, count: n)
            if sample.label == 1 { for i in 0..<5 { regions[i] = 1 }; for i in 10..<13 { regions[i] = 2 } }
            let cloud = PointCloud(positions: (0..<n).map { SIMD3(Float($0), 0, 1) })
            return LoadedSample(cloud: cloud, pointLabels: regions.map { $0 != 0 ? 1 : 0 }, regions: regions)
        }
    }

    /// Noise quantised to 1/16 (ties), plus 0.3 on defect points; object score = max.
    struct FakeScorer: SampleScorer {
        func score(_ cloud: PointCloud, sample: SampleDescriptor) throws -> SampleScore {
            var rng = SeededRandom(seed: BatchEvaluationTests.seed(sample.className + sample.stem))
            let bump = sample.label == 1 ? 0.3 : 0 as Float
            let scores = (0..<cloud.count).map { i in (rng.uniform() * 16).rounded(.down) / 16 + (i < 13 && i % 10 < 5 ? bump : 0) }
            return SampleScore(objectScore: scores.max()! + rng.uniform() * 0.2, pointScores: scores)
        }
    }

    /// Two classes in the MVTec layout (empty files: the fake loader does not read them).
    static func dataset() throws -> URL {
        let root = try TestPaths.temporaryDirectory("eval-data")
        var files: [String] = []
        for c in ["bagel", "tire"] {
            for i in 0..<7 { files.append("\(c)/test/good/xyz/\(String(format: "%03d", i)).tiff") }
            for i in 0..<5 { files.append("\(c)/test/crack/xyz/\(String(format: "%03d", i)).tiff") }
            files.append("\(c)/train/good/xyz/000.tiff")
        }
        try DatasetWalkerTests.touch(root, files)
        return root
    }

    static func files(_ dir: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)!
        for case let url as URL in e where !url.hasDirectoryPath {
            out[String(url.path.dropFirst(dir.path.count))] = try Data(contentsOf: url)
        }
        return out
    }

    @Test("A run writes the metrics of its samples, the table and samples.csv")
    func singleRun() throws {
        let data = try Self.dataset(), out = try TestPaths.temporaryDirectory("eval-out")
        let report = try #require(try BatchEvaluation.run(
            EvaluationSettings(dataset: .mvtec3d, data: data, output: out), loader: FakeLoader(), scorer: FakeScorer(), quiet: true))
        #expect(report.classes.map(\.className) == ["bagel", "tire"])
        // Independent reference: the object AUROC as a pair count over the fake scores.
        let loader = FakeLoader(), scorer = FakeScorer()
        for (c, metrics) in zip(["bagel", "tire"], report.classes) {
            let samples = try DatasetWalker(kind: .mvtec3d, root: data).samples(classes: [c])
            let scored = try samples.map { (try scorer.score(try loader.load($0).cloud, sample: $0).objectScore, $0.label!) }
            var wins = 0.0
            for (p, _) in scored.filter({ $0.1 == 1 }) { for (n, _) in scored.filter({ $0.1 == 0 }) { wins += p > n ? 1 : p == n ? 0.5 : 0 } }
            #expect(abs(try #require(metrics.objectAUROC) - wins / 35) < 1e-12)
            #expect(metrics.samples == 12 && metrics.anomalous == 5 && metrics.normal == 7 && metrics.failed == 0)
            #expect(metrics.aupro != nil && metrics.auproPointAD != nil && metrics.pointAUROC != nil)
        }
        let csv = try String(contentsOf: out.appendingPathComponent("samples.csv"), encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 25)
        #expect(csv[0] == "class,split,defect,stem,object_score,label,max_point_score,rank,path")
        #expect(csv[1].hasPrefix("bagel,test,crack,000,") && csv[1].hasSuffix(",\(data.path)/bagel/test/crack/xyz/000.tiff"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("results.json"))) as! [String: Any]
        let classes = json["classes"] as! [[String: Any]]
        #expect(classes[1]["i_auroc"] as? Double == report.classes[1].objectAUROC)
        #expect((json["mean"] as! [String: Any])["samples"] as? Int == 24)
        let table = try String(contentsOf: out.appendingPathComponent("results.md"), encoding: .utf8)
        #expect(table.contains(String(format: "| tire | %.1f |", report.classes[1].objectAUROC! * 100)))
        #expect(table.contains("| **mean** |"))
    }

    @Test("Shards merged give byte-identical outputs to one run, saved scores included", arguments: [1, 3, 5])
    func shardedEqualsUnsharded(shards: Int) throws {
        let data = try Self.dataset()
        let whole = try TestPaths.temporaryDirectory("eval-whole")
        let loader = FakeLoader(broken: ["003"])
        try BatchEvaluation.run(EvaluationSettings(dataset: .mvtec3d, data: data, output: whole, saveScores: true),
                                loader: loader, scorer: FakeScorer(), quiet: true)
        var parts: [URL] = []
        for k in (0..<shards).reversed() {
            let dir = try TestPaths.temporaryDirectory("eval-shard")
            let partial = try BatchEvaluation.run(
                EvaluationSettings(dataset: .mvtec3d, data: data, output: dir, shard: try Shard(index: k, count: shards), saveScores: true),
                loader: loader, scorer: FakeScorer(), quiet: true)
            #expect(partial == nil)
            parts.append(dir)
        }
        let merged = try TestPaths.temporaryDirectory("eval-merged")
        try BatchEvaluation.merge(parts, into: merged, quiet: true)
        let a = try Self.files(whole), b = try Self.files(merged)
        #expect(a.keys.sorted() == b.keys.sorted())
        #expect(a.count == 4 + 20)  // results.json, results.md, samples.csv, report.html, 24 − 4 broken score files
        for (name, bytes) in a { #expect(b[name] == bytes, "\(name) differs") }
    }

    @Test("A corrupt sample is reported with its path, skipped and counted")
    func corruptSample() throws {
        let data = try Self.dataset(), out = try TestPaths.temporaryDirectory("eval-out")
        let report = try #require(try BatchEvaluation.run(EvaluationSettings(dataset: .mvtec3d, data: data, classes: ["tire"], output: out),
                                                          loader: FakeLoader(broken: ["001"]), scorer: FakeScorer(), quiet: true))
        #expect(report.failures.count == 2)  // tire/test/crack/001 and tire/test/good/001
        #expect(report.failures[0].path == data.appendingPathComponent("tire/test/crack/xyz/001.tiff").path)
        #expect(report.failures[0].problem == "truncated TIFF strip")
        #expect(report.classes[0].failed == 2 && report.classes[0].samples == 10)
        let json = try String(contentsOf: out.appendingPathComponent("results.json"), encoding: .utf8)
        #expect(json.contains("\"failed\": 2,"))
        #expect(json.contains("crack/xyz/001.tiff"))
    }

    @Test("A class whose every sample fails keeps its row: metrics null, failures counted")
    func wholeClassFails() throws {
        let data = try Self.dataset(), out = try TestPaths.temporaryDirectory("eval-out")
        let stems = Set((0..<7).map { String(format: "%03d", $0) })
        struct TireOnlyBroken: SampleLoading {
            let inner: FakeLoader
            func load(_ sample: SampleDescriptor) throws -> LoadedSample {
                sample.className == "tire" ? try inner.load(sample) : try FakeLoader().load(sample)
            }
        }
        let report = try #require(try BatchEvaluation.run(EvaluationSettings(dataset: .mvtec3d, data: data, output: out),
                                                          loader: TireOnlyBroken(inner: FakeLoader(broken: stems)), scorer: FakeScorer(), quiet: true))
        #expect(report.classes.map(\.className) == ["bagel", "tire"])
        #expect(report.classes[1].samples == 0 && report.classes[1].failed == 12 && report.classes[1].objectAUROC == nil)
        #expect(report.mean.objectAUROC == report.classes[0].objectAUROC)
        let json = try String(contentsOf: out.appendingPathComponent("results.json"), encoding: .utf8)
        #expect(json.contains("{\"class\": \"tire\", \"i_auroc\": null, \"ap\": null"))
        #expect(try String(contentsOf: out.appendingPathComponent("results.md"), encoding: .utf8).contains("| tire | – | – | – | – |"))
    }

    @Test("A scorer returning the wrong number of scores fails that sample, not the run")
    func scorerContract() throws {
        struct ShortScorer: SampleScorer {
            func score(_ cloud: PointCloud, sample: SampleDescriptor) throws -> SampleScore {
                SampleScore(objectScore: 0.5, pointScores: sample.stem == "002" ? [0] : [Float](repeating: 0.1, count: cloud.count))
            }
        }
        let report = try #require(try BatchEvaluation.run(
            EvaluationSettings(dataset: .mvtec3d, data: try Self.dataset(), output: try TestPaths.temporaryDirectory()),
            loader: FakeLoader(), scorer: ShortScorer(), quiet: true))
        #expect(report.failures.count == 4)
        #expect(report.failures.allSatisfy { $0.problem.contains("point scores for") })
        #expect(report.classes[0].objectAUROC == 0.5)
    }

    @Test("Merging refuses missing or repeated shards")
    func mergeChecks() throws {
        let data = try Self.dataset()
        var parts: [URL] = []
        for k in 0..<3 {
            let dir = try TestPaths.temporaryDirectory("eval-shard")
            try BatchEvaluation.run(EvaluationSettings(dataset: .mvtec3d, data: data, output: dir, shard: try Shard(index: k, count: 3)),
                                    loader: FakeLoader(), scorer: FakeScorer(), quiet: true)
            parts.append(dir)
        }
        let out = try TestPaths.temporaryDirectory()
        #expect { try BatchEvaluation.merge(Array(parts.prefix(2)), into: out, quiet: true) } throws: { "\($0)".contains("2/3") }
        #expect { try BatchEvaluation.merge([parts[0], parts[0], parts[1]], into: out, quiet: true) } throws: { "\($0)".contains("twice") }
        #expect(throws: FileError.self) { try BatchEvaluation.merge([out], into: out, quiet: true) }
        #expect(throws: UsageError.self) { try Shard("3/3") }
        #expect(try Shard("2/8") == Shard(index: 2, count: 8))
    }

    @Test("Saved scores evaluated again (pointad metrics) give the same results; full maps are reduced to valid pixels")
    func savedScores() throws {
        let data = try Self.dataset()
        let first = try TestPaths.temporaryDirectory("eval-first"), second = try TestPaths.temporaryDirectory("eval-second")
        try BatchEvaluation.run(EvaluationSettings(dataset: .mvtec3d, data: data, output: first, saveScores: true),
                                loader: FakeLoader(), scorer: FakeScorer(), quiet: true)
        try BatchEvaluation.run(EvaluationSettings(dataset: .mvtec3d, data: data, output: second),
                                loader: FakeLoader(), scorer: try SavedScoresScorer(directory: first), quiet: true)
        for name in ["results.md", "samples.csv"] {
            #expect(try Data(contentsOf: first.appendingPathComponent(name)) == Data(contentsOf: second.appendingPathComponent(name)))
        }
        // A 3×2 grid with 3 valid pixels, scored by a full map: the valid pixels' values are taken.
        let maps = try TestPaths.temporaryDirectory("maps")
        try NPYFile.write([9, 1, 9, 2, 3, 9] as [Float], to: maps.appendingPathComponent("c/good/s.npy"))
        let cloud = PointCloud(positions: [SIMD3(1, 1, 1), SIMD3(2, 2, 2), SIMD3(3, 3, 3)],
                               grid: OrganizedGrid(width: 3, height: 2, pixelIndices: [1, 3, 4]))
        let sample = SampleDescriptor(className: "c", split: "test", defect: "good", stem: "s", points: "", label: 0)
        let score = try SavedScoresScorer(directory: maps).score(cloud, sample: sample)
        #expect(score.pointScores == [1, 2, 3] && score.objectScore == 3)
        #expect(throws: FileError.self) { try SavedScoresScorer(directory: maps).score(PointCloud(positions: [SIMD3(1, 1, 1)]), sample: sample) }
    }

    @Test("Layouts are detected from their folders")
    func detection() throws {
        #expect(try DatasetKind.detect(try Self.dataset()) == .mvtec3d)
        let real = try TestPaths.temporaryDirectory(), shapenet = try TestPaths.temporaryDirectory(), plain = try TestPaths.temporaryDirectory()
        try DatasetWalkerTests.touch(real, ["airplane/test/1_good.pcd", "airplane/gt/2_sink.txt"])
        try DatasetWalkerTests.touch(shapenet, ["bag0/test/bag0_positive0.pcd", "bag0/GT/bag0_hole1.txt"])
        try DatasetWalkerTests.touch(plain, ["a.ply"])
        #expect(try DatasetKind.detect(real) == .real3d)
        #expect(try DatasetKind.detect(shapenet) == .shapenet)
        #expect(try DatasetKind.detect(plain) == .plain)
    }
}
