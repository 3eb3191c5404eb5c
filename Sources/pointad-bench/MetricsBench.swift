import ArgumentParser
import Evaluation
import Foundation
import PointClouds
import TensorCore

/// Class metrics over 100 samples × 100k points (the issue's target: ≤ 2 s): object AUROC/AP,
/// pooled point AUROC/AP, and both AU-PROs over 8-connected regions.
struct MetricsBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "metrics", abstract: "Class metrics over 100 samples × 100k points.")
    @Option(help: "Samples in the class.") var samples: Int = 100
    @Option(help: "Points per sample.") var points: Int = 100_000
    @Option(help: "Threads (0 = all cores).") var threads: Int = 0
    @Option(help: "Timed runs.") var runs: Int = 5

    func run() throws {
        ComputeThreads.configure(threads)
        let records = syntheticClass()
        let total = samples * points
        print("\(samples) samples × \(points) points = \(total) points, \(ComputeThreads.count) thread(s)")
        let scores = records.flatMap(\.pointScores), labels = records.flatMap(\.pointLabels)
        let rank = try medianSeconds(runs: runs, warmup: 1) { _ = try ScoreRanking(scores: scores, labels: labels).auroc }
        print(pad("pooled point AUROC + AP", 38) + fmt(rank * 1000) + " ms")
        var result = ClassMetrics(className: "")
        let all = try medianSeconds(runs: runs, warmup: 1) { result = try ClassMetrics.compute(className: "bench", samples: records) }
        print(pad("class metrics (AUROC, AP, 2×AU-PRO)", 38) + fmt(all * 1000) + " ms   (target ≤ 2000 ms)")
        print(pad("walk of 10 classes × 100 samples", 38) + fmt(try walkSeconds() * 1000) + " ms   (MVTec 3D-AD layout)")
        for p in [EvaluationProtocol.mvtec, .pointad] {
            print(pad("\(p.rawValue) grid of one 800×800 scan", 38) + fmt(try layoutSeconds(p) * 1000) + " ms   (per sample)")
        }
        print("  i-AUROC \(fmt((result.objectAUROC ?? .nan) * 100)), P-AUROC \(fmt((result.pointAUROC ?? .nan) * 100)), AUPRO \(fmt((result.aupro ?? .nan) * 100)) / PointAD \(fmt((result.auproPointAD ?? .nan) * 100))")
    }

    /// Lists a 1000-sample MVTec 3D-AD tree of empty files (walking reads names only).
    func walkSeconds() throws -> Double {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pointad-walk-bench-\(getpid())")
        defer { try? FileManager.default.removeItem(at: root) }
        for c in 0..<10 {
            for (defect, count) in [("good", 40), ("cut", 30), ("hole", 30)] {
                for sub in ["xyz", "rgb", "gt"] {
                    let dir = root.appendingPathComponent("class\(c)/test/\(defect)/\(sub)")
                    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                    for i in 0..<count {
                        _ = FileManager.default.createFile(atPath: dir.appendingPathComponent(String(format: "%03d.%@", i, sub == "xyz" ? "tiff" : "png")).path, contents: nil)
                    }
                }
            }
        }
        let walker = DatasetWalker(kind: .mvtec3d, root: root)
        return try medianSeconds(runs: runs, warmup: 1) { _ = try walker.samples() }
    }

    /// One 800×800 scan (a third of the pixels invalid, a 60×40 defect) laid on a protocol's grid:
    /// what `--protocol` adds per sample before the class metrics (which then pool its cells).
    func layoutSeconds(_ evaluation: EvaluationProtocol) throws -> Double {
        let side = 800
        let grid = OrganizedGrid(width: side, height: side, pixelIndices: (0..<(side * side)).filter { $0 % 3 != 0 })
        var rng = SeededRandom(seed: 7)
        let scores = grid.pixelIndices.map { _ in rng.uniform() }
        var mask = [UInt8](repeating: 0, count: side * side)
        for y in 300..<340 { for x in 200..<260 { mask[y * side + x] = 1 } }
        let gt = GridMask(width: side, height: side, values: mask)
        return try medianSeconds(runs: runs, warmup: 1) {
            _ = try ProtocolGrid(evaluation, pointScores: scores, map: nil, grid: grid, mask: gt)
        }
    }

    /// Half the samples carry a few square defects on a 400-wide grid; scores are noise plus a
    /// defect bump, quantised to 1/256 so there are many ties (as blurred maps have).
    func syntheticClass() -> [ScoredSample] {
        var rng = SeededRandom(seed: 42)
        let width = 400
        return (0..<samples).map { i in
            var labels = [UInt8](repeating: 0, count: points), regions = [Int32](repeating: 0, count: points)
            if i % 2 == 1 {
                for d in 0..<3 {
                    let x0 = Int(rng.uniform() * Float(width - 40)), y0 = Int(rng.uniform() * Float(points / width - 40))
                    for y in y0..<(y0 + 30) { for x in x0..<(x0 + 30) { labels[y * width + x] = 1; regions[y * width + x] = Int32(d + 1) } }
                }
            }
            let scores = (0..<points).map { p in ((rng.uniform() + (labels[p] != 0 ? 0.4 : 0)) * 256).rounded(.down) / 256 }
            let sample = SampleDescriptor(className: "bench", split: "test", defect: i % 2 == 1 ? "bad" : "good", stem: "\(i)",
                                          points: "", label: i % 2)
            return ScoredSample(sample: sample, index: i, objectScore: scores.max()!, pointScores: scores,
                                pointLabels: labels, regions: regions)
        }
    }
}
