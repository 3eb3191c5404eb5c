import ArgumentParser
import CLIP
import Dispatch
import Foundation
import PointADModel
import Synthesis
import TensorCore

/// Issue 17's cache target: a second `pointad eval` of the same data with other prompts, reading
/// the vision features from `--cache`, in ≤ 5% of the first run's time. Runs the real command
/// twice as child processes (prompts A into an empty cache, then prompts B from it) on a small
/// synthetic MVTec 3D-AD class with a random-weight ViT-L/14@336, and prints wall and CPU time.
struct EvalCacheBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval-cache",
        abstract: "pointad eval twice on the same data, other prompts the second time, from --cache: time of the second vs the first.")
    @Option(help: "Threads (0 = all cores).") var threads: Int = 0
    @Option(help: "Test samples in the synthetic class (about half defective).") var samples: Int = 2
    @Option(help: "Scan width and height in pixels (MVTec 3D-AD's are 800×800).") var scanSize: Int = 800
    @Option(help: "Folder for the random model (reused if it holds one; default: a temporary folder, removed afterwards).")
    var modelDirectory: String?
    @Option(help: "Model preset (vit-l-14-336, vit-b-16, tiny).") var preset: String = CLIPPreset.vitL14at336.rawValue
    @Option(help: "Keep the data, cache and outputs here (default: a temporary folder, removed afterwards).") var work: String?
    @Option(help: "The pointad executable (default: the one beside pointad-bench).") var pointad: String?

    func run() throws {
        ComputeThreads.configure(threads)
        guard let preset = CLIPPreset(rawValue: preset) else { throw ValidationError("unknown preset \(self.preset)") }
        let executable = URL(fileURLWithPath: pointad ?? Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("pointad").path)
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw ValidationError("\(executable.path): no pointad executable (swift build -c release --product pointad, or pass --pointad)")
        }
        let scratch = work.map { URL(fileURLWithPath: $0) } ?? FileManager.default.temporaryDirectory.appendingPathComponent("pointad-eval-cache-bench-\(getpid())")
        for old in ["cache", "first", "second"] { try? FileManager.default.removeItem(at: scratch.appendingPathComponent(old)) }
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { if work == nil { try? FileManager.default.removeItem(at: scratch) } }

        let model = modelDirectory.map { URL(fileURLWithPath: $0) } ?? scratch.appendingPathComponent("model")
        if !FileManager.default.fileExists(atPath: model.appendingPathComponent("model.safetensors").path) {
            try RandomCLIPFolder.write(preset: preset, seed: 1, to: model)
        }
        var synthesis = SynthesisSettings(layout: .mvtec3d, classes: 1, testSamples: samples, trainSamples: 1, seed: 7)
        synthesis.imageWidth = scanSize
        synthesis.imageHeight = scanSize
        let data = scratch.appendingPathComponent("data")
        _ = try DatasetSynthesizer.synthesize(synthesis, to: data, quiet: true)
        // Two different prompt sets, as two checkpoints of a training run would be.
        let width = preset.configuration.text.hiddenSize, depth = min(9, preset.configuration.text.layers)
        let prompts = try [UInt64(2), 3].map { seed -> URL in
            let url = scratch.appendingPathComponent("prompts-\(seed).safetensors")
            try HierarchicalPrompts(rendering: PromptSet.random(contextLength: 12, width: width, depth: depth, deepLength: 4, seed: seed)).write(to: url)
            return url
        }

        print("processor: \(processorName()); OpenBLAS core \(BLASKernelCheck.current().coreName); \(KernelDispatch.description); \(ComputeThreads.count) thread(s)")
        print("\(preset.rawValue), random weights; synthetic mvtec3d class of \(samples) test samples at \(scanSize)×\(scanSize); pointad eval --cache, first prompts A into an empty cache, then prompts B")
        let cache = scratch.appendingPathComponent("cache")
        var runs: [ChildRun] = []
        for (name, prompt) in zip(["first", "second"], prompts) {
            let arguments = ["eval", "--dataset", "mvtec3d", "--data", data.path, "--model", model.path, "--prompts", prompt.path,
                             "--out", scratch.appendingPathComponent(name).path, "--cache", cache.path, "--threads", String(threads)]
            let log = scratch.appendingPathComponent("\(name).log")
            let run = try ChildRun.run([executable.path] + arguments, log: log)
            runs.append(run)
            print(pad(name, 8) + "wall \(fmt(run.wallSeconds, 2)) s  CPU \(fmt(run.cpuSeconds, 2)) s  \(cacheLine(log))")
        }
        print("second / first: wall \(fmt(runs[1].wallSeconds / runs[0].wallSeconds * 100, 2))%, CPU \(fmt(runs[1].cpuSeconds / runs[0].cpuSeconds * 100, 2))% (target ≤ 5%)")
    }

    /// The child's "feature cache …: N reused, M computed" line from its log, or "" when it printed none.
    func cacheLine(_ log: URL) -> String {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").first { $0.hasPrefix("feature cache") }
            .map { String($0.split(separator: ":").last ?? "").trimmingCharacters(in: .whitespaces) } ?? ""
    }
}
