import Foundation
import PointADSupport
import PointClouds
import Testing
import TestSupport
@testable import Evaluation

// Under the grid protocols the shards carry grid arrays plus the input-order scores: merged
// shards must still write exactly the files of one run, and --save-scores the per-point scores.
@Suite("Evaluation protocols across shards")
struct ProtocolShardingTests {
    /// 6×5 scans with a few invalid pixels; anomalous samples mark pixels 7, 8, 13 and 29.
    struct GridLoader: SampleLoading {
        func load(_ sample: SampleDescriptor) throws -> LoadedSample {
            let seed = Int(BatchEvaluationTests.seed(sample.stem) % 5)
            let grid = OrganizedGrid(width: 6, height: 5, pixelIndices: (0..<30).filter { ($0 * 7 + seed) % 5 != 0 })
            var values = [UInt8](repeating: 0, count: 30)
            if sample.label == 1 { for p in [7, 8, 13, 29] { values[p] = 1 } }
            let mask = GridMask(width: 6, height: 5, values: values)
            let labels = grid.pixelIndices.map { values[$0] }
            let cloud = PointCloud(positions: grid.pixelIndices.map { SIMD3(Float($0), 1, 1) }, grid: grid)
            return LoadedSample(cloud: cloud, pointLabels: labels, regions: labels.map { Int32($0) },
                                mask: sample.label == 1 ? mask : nil)
        }
    }

    /// FakeScorer's points plus a map of the protocol's grid (the scan's 6×5, or 336×336).
    struct MapScorer: SampleScorer {
        var width: Int, height: Int
        func score(_ cloud: PointCloud, sample: SampleDescriptor) throws -> SampleScore {
            var s = try BatchEvaluationTests.FakeScorer().score(cloud, sample: sample)
            let seed = Int(BatchEvaluationTests.seed(sample.stem) % 7)
            s.map = ScoreMap(width: width, height: height, values: (0..<(width * height)).map { Float(($0 * 5 + seed) % 11) / 11 })
            return s
        }
    }

    @Test("Shards merged equal one run under mvtec and pointad, the scorer's maps included; saved scores stay per point",
          arguments: [EvaluationProtocol.mvtec, .pointad])
    func sharded(_ evaluation: EvaluationProtocol) throws {
        let scorer = evaluation == .mvtec ? MapScorer(width: 6, height: 5) : MapScorer(width: 336, height: 336)
        let data = try BatchEvaluationTests.dataset()
        let whole = try TestPaths.temporaryDirectory("eval-protocol-whole")
        let report = try #require(try BatchEvaluation.run(
            EvaluationSettings(dataset: .mvtec3d, data: data, output: whole, saveScores: true, evaluationProtocol: evaluation),
            loader: GridLoader(), scorer: scorer, quiet: true))
        #expect(report.evaluationProtocol == evaluation)
        let cells = evaluation == .mvtec ? 30 : 336 * 336
        #expect(report.classes[0].points == 12 * cells)
        var parts: [URL] = []
        for k in 0..<3 {
            let dir = try TestPaths.temporaryDirectory("eval-protocol-shard")
            try BatchEvaluation.run(EvaluationSettings(dataset: .mvtec3d, data: data, output: dir, shard: try Shard(index: k, count: 3),
                                                       saveScores: true, evaluationProtocol: evaluation),
                                    loader: GridLoader(), scorer: scorer, quiet: true)
            parts.append(dir)
        }
        let merged = try TestPaths.temporaryDirectory("eval-protocol-merged")
        try BatchEvaluation.merge(parts, into: merged, quiet: true)
        let a = try BatchEvaluationTests.files(whole), b = try BatchEvaluationTests.files(merged)
        #expect(a.keys.sorted() == b.keys.sorted())
        for (name, bytes) in a { #expect(b[name] == bytes, "\(name) differs") }
        let sample = try DatasetWalker(kind: .mvtec3d, root: data).samples(classes: ["bagel"])[0]
        let saved = try NPYFile.read(whole.appendingPathComponent("scores/bagel/\(sample.defect)/\(sample.stem).npy"))
        #expect(saved.count == (try GridLoader().load(sample)).cloud.count)
        #expect(String(decoding: a["/results.json"]!, as: UTF8.self).contains("\"protocol\": \"\(evaluation.rawValue)\""))
        #expect(a.keys.filter { $0.hasSuffix(".map.npy") }.count == 24)  // one per sample
        let savedMap = try NPYFile.read(whole.appendingPathComponent("scores/bagel/\(sample.defect)/\(sample.stem).map.npy"))
        #expect(savedMap.shape == [scorer.height, scorer.width])
    }

    @Test("Partials of different protocols do not merge")
    func mixedProtocols() throws {
        let data = try BatchEvaluationTests.dataset()
        var parts: [URL] = []
        for (k, p) in [EvaluationProtocol.mvtec, .points].enumerated() {
            let dir = try TestPaths.temporaryDirectory("eval-protocol-mixed")
            try BatchEvaluation.run(EvaluationSettings(dataset: .mvtec3d, data: data, output: dir, shard: try Shard(index: k, count: 2),
                                                       evaluationProtocol: p),
                                    loader: GridLoader(), scorer: BatchEvaluationTests.FakeScorer(), quiet: true)
            parts.append(dir)
        }
        #expect { try BatchEvaluation.merge(parts, into: try TestPaths.temporaryDirectory("x"), quiet: true) } throws: {
            "\($0)".contains("protocol")
        }
    }
}
