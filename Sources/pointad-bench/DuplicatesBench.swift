import ArgumentParser
import CLIP
import COpenBLAS
import Foundation
import PointADModel
import PointClouds
import Synthesis
import TensorCore

/// Issue 16's duplicate-point case: `pointad score` (tiny random CLIP, PointAD and PointAD+) on a
/// sphere with 40k copies of one point beside it, against the same sphere with 40k distinct points
/// instead (42k points each). Target: duplicates ≤ 3× distinct, measured in the same run. Also the
/// 1×1 organised scan that the reference's resize turns into 336² copies of one point.
struct DuplicatesBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "duplicates", abstract: "score on 40k identical points beside a sphere vs 42k distinct points (ratio).")
    @Option(help: "Threads (0 = all cores).") var threads: Int = 0
    @Option(help: "Copies of the repeated point.") var copies: Int = 40_000
    @Option(help: "Points on the sphere.") var sphere: Int = 2_000
    @Option(help: "Timed runs per case (the median is kept).") var runs: Int = 3

    func run() throws {
        ComputeThreads.configure(threads)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pointad-duplicates-bench-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let model = scratch.appendingPathComponent("model"), prompts = scratch.appendingPathComponent("prompts.safetensors")
        try RandomCLIPFolder.write(preset: .tiny, seed: 1, to: model)
        let width = CLIPPreset.tiny.configuration.text.hiddenSize, depth = min(2, CLIPPreset.tiny.configuration.text.layers)
        try HierarchicalPrompts(rendering: PromptSet.random(contextLength: 4, width: width, depth: depth, deepLength: 2, seed: 2),
                                geometry: PromptSet.random(contextLength: 4, width: width, depth: depth, deepLength: 2, seed: 3)).write(to: prompts)

        let ball = Self.fibonacciSphere(sphere, centre: .zero)
        let repeated = PointCloud(positions: ball + Array(repeating: SIMD3(1.5, 0, 0), count: copies), source: "sphere + \(copies) copies")
        let distinct = PointCloud(positions: ball + Self.fibonacciSphere(copies, centre: SIMD3(1.5, 0, 0), radius: 0.2), source: "sphere + \(copies) distinct")
        // An MVTec-style organised scan of a single valid pixel: resized to the model's input size.
        let single = XYZImage(width: 1, height: 1, values: [0.1, 0.2, 0.3]).pointCloud(source: "1×1 scan")
        print("tiny random CLIP; \(repeated.count) points per cloud; \(ComputeThreads.count) thread(s); OpenBLAS core \(String(cString: openblas_get_corename())); median of \(runs)")
        print(pad("method", 10) + pad("case", 26) + pad("total s", 10) + pad("normals", 9) + pad("render", 9) + pad("kNN", 9) + "layers")
        for method in DetectionMethod.allCases {
            var settings = DetectorSettings()
            settings.scoring.method = method
            let detector = try Detector(model: model, prompts: prompts, settings: settings)
            var totals: [String: Double] = [:]
            for (name, cloud) in [("distinct", distinct), ("copies", repeated), ("1×1 scan → \(detector.render.size)²", single)] {
                var timings: [DetectionTimings] = []
                _ = try detector.score(cloud)
                for _ in 0..<max(runs, 1) { timings.append(try detector.score(cloud).timings) }
                let t = timings.sorted { $0.total < $1.total }[timings.count / 2]
                totals[name] = t.total
                print(pad(method.rawValue, 10) + pad(name, 26) + pad(fmt(t.total, 3), 10) + pad(fmt(t.normals, 3), 9)
                      + pad(fmt(t.rendering, 3), 9) + pad(fmt(t.neighbours, 3), 9) + fmt(t.layers, 3))
            }
            print("\(method.rawValue): copies / distinct = \(fmt(totals["copies"]! / totals["distinct"]!, 2))× (target ≤ 3×)")
        }
    }

    /// `n` points spread evenly on a sphere (golden-angle spiral).
    static func fibonacciSphere(_ n: Int, centre: SIMD3<Float>, radius: Float = 1) -> [SIMD3<Float>] {
        (0..<n).map { i in
            let z = 1 - 2 * (Float(i) + 0.5) / Float(n), r = (1 - z * z).squareRoot(), phi = Float(i) * 2.399963
            return centre + radius * SIMD3(r * cos(phi), r * sin(phi), z)
        }
    }
}
