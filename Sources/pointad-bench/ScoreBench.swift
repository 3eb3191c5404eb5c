import ArgumentParser
import CLIP
import Dispatch
import Foundation
import PointADModel
import PointClouds
import Synthesis
import TensorCore

/// `pointad score` at the size: a 200k-point synthetic object scored with a random-weight
/// ViT-L/14@336 and random prompts, PointAD and PointAD+. Prints where the time goes and the share
/// of everything outside the nine vision-tower passes (target: ≤ 15% of their time).
struct ScoreBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "score", abstract: "pointad score on 200k points with ViT-L/14@336: time outside the vision tower.")
    @Option(help: "Threads (0 = all cores).") var threads: Int = 0
    @Option(help: "Points in the cloud.") var points: Int = 200_000
    @Option(help: "Timed runs per method (the best is kept; one warm-up first).") var runs: Int = 1
    @Option(help: "Folder for the random ViT-L/14@336 (default: a temporary folder, removed afterwards; reused if it holds one).")
    var modelDirectory: String?
    @Option(help: "Model preset (vit-l-14-336, vit-b-16, tiny).") var preset: String = CLIPPreset.vitL14at336.rawValue

    func run() throws {
        ComputeThreads.configure(threads)
        guard let preset = CLIPPreset(rawValue: preset) else { throw ValidationError("unknown preset \(self.preset)") }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pointad-score-bench-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let model = modelDirectory.map { URL(fileURLWithPath: $0) } ?? scratch.appendingPathComponent("model")
        if !FileManager.default.fileExists(atPath: model.appendingPathComponent("model.safetensors").path) {
            try RandomCLIPFolder.write(preset: preset, seed: 1, to: model)
        }
        let width = preset.configuration.text.hiddenSize, depth = min(9, preset.configuration.text.layers)
        let prompts = scratch.appendingPathComponent("prompts.safetensors")
        try HierarchicalPrompts(rendering: PromptSet.random(contextLength: 12, width: width, depth: depth, deepLength: 4, seed: 2),
                                geometry: PromptSet.random(contextLength: 12, width: width, depth: depth, deepLength: 4, seed: 3)).write(to: prompts)
        let objectClass = SyntheticClass.catalog(count: 1, layout: .real3d, seed: 4)[0]
        let sample = SampleSynthesizer.cloud(of: objectClass, defects: [.dent], seed: 5, count: points, noise: 0.001, offset: 0, resolution: 96)
        let cloud = PointCloud(positions: sample.points, source: "synthetic \(objectClass.name)")
        print("\(preset.rawValue), random weights; \(cloud.count) points; \(ComputeThreads.count) thread(s)")
        print(pad("method", 10) + pad("total s", 10) + pad("vision s", 10) + pad("normals", 9) + pad("render", 9) + pad("kNN", 9)
              + pad("layers", 9) + pad("outside s", 11) + "outside / vision")
        var cpuShares: [String] = []
        for (index, method) in DetectionMethod.allCases.enumerated() {
            var settings = DetectorSettings()
            settings.scoring.method = method
            let detector = try Detector(model: model, prompts: prompts, settings: settings)
            // Warm-up once: the first pass faults the memory-mapped weights in.
            if index == 0 { _ = try detector.score(cloud) }
            var best: DetectionTimings?
            for _ in 0..<max(runs, 1) {
                let t = try detector.score(cloud).timings
                if best == nil || t.total < best!.total { best = t }
            }
            let t = best!
            // Load-robust check: process CPU seconds of a whole score and of its nine vision passes alone.
            var detection: Detection?
            let cpuTotal = try cpuSeconds { detection = try detector.score(cloud) }
            let images = detection!.views.compactMap(\.image)
            let cpuVision = try cpuSeconds { _ = try detector.encoder.encode(images, batch: settings.batch) }
            cpuShares.append("\(method.rawValue): \(fmt(cpuTotal - cpuVision, 1)) CPU s outside / \(fmt(cpuVision, 1)) CPU s vision = \(fmt((cpuTotal - cpuVision) / cpuVision * 100))%")
            print(pad(method.rawValue, 10) + pad(fmt(t.total, 2), 10) + pad(fmt(t.vision, 2), 10) + pad(fmt(t.normals, 2), 9)
                  + pad(fmt(t.rendering, 2), 9) + pad(fmt(t.neighbours, 2), 9) + pad(fmt(t.layers, 2), 9)
                  + pad(fmt(t.outsideVision, 2), 11) + fmt(t.outsideVision / t.vision * 100) + "%")
        }
        for line in cpuShares { print(line) }
        print("peak RSS \(fmt(Double(peakRSSBytes()) / 1e9, 2)) GB")
    }
}

/// Process CPU time (all threads) of `body`: less sensitive than wall time to other processes.
func cpuSeconds(_ body: () throws -> Void) rethrows -> Double {
    var a = timespec(), b = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a)
    try body()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b)
    return Double(b.tv_sec - a.tv_sec) + Double(b.tv_nsec - a.tv_nsec) / 1e9
}
