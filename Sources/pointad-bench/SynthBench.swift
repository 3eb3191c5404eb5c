import ArgumentParser
import Foundation
import Synthesis
import TensorCore

/// Synthetic data generation: one sample of each layout (mesh, defect, depth render or surface
/// sampling), a whole small dataset written to disk, and random-weight model folders.
struct SynthBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "synth", abstract: "Synthetic scans, clouds, datasets and random CLIP folders.")
    @Option(help: "Timed runs per case.") var runs: Int = 5

    func run() throws {
        ComputeThreads.configure(1)
        let scanClass = SyntheticClass.catalog(count: 1, layout: .mvtec3d, seed: 0)[0]
        let cloudClass = SyntheticClass.catalog(count: 1, layout: .real3d, seed: 0)[0]
        print("one thread per sample (datasets: all cores); CPU = process CPU seconds")
        print(pad("case", 54) + pad("wall", 10) + "CPU")
        func report(_ name: String, _ result: (Double, Double)) {
            print(pad(name, 54) + pad(fmt(result.0, 3) + " s", 10) + fmt(result.1, 3) + " s")
        }
        report("mvtec3d scan 256×224, mesh 160, good", timed(runs: runs) {
            _ = SampleSynthesizer.depthScan(of: scanClass, defects: [], seed: 1, width: 256, height: 224, resolution: 160)
        })
        report("mvtec3d scan 256×224, mesh 160, crack", timed(runs: runs) {
            _ = SampleSynthesizer.depthScan(of: scanClass, defects: [.crack], seed: 1, width: 256, height: 224, resolution: 160)
        })
        report("real3d cloud 10k points, mesh 160, bulge", timed(runs: runs) {
            _ = SampleSynthesizer.cloud(of: cloudClass, defects: [.bump], seed: 1, count: 10_000, noise: 0.001, offset: 20, resolution: 160)
        })
        ComputeThreads.configure(0)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pointad-synthbench-\(getpid())")
        defer { try? FileManager.default.removeItem(at: directory) }
        for layout in SyntheticLayout.allCases {
            let settings = SynthesisSettings(layout: layout, classes: 4, testSamples: 10, seed: 0)
            let samples = (0..<4).map { DatasetPlan.jobs(for: SyntheticClass.catalog(count: 4, layout: layout, seed: 0)[$0], settings: settings).count }.reduce(0, +)
            report("\(layout.rawValue) dataset, 4 classes × 10 test (\(samples) samples)", try timed(runs: 1) {
                _ = try DatasetSynthesizer.synthesize(settings, to: directory.appendingPathComponent(layout.rawValue), quiet: true)
            })
        }
        for preset in [CLIPPreset.tiny, .vitB16] {
            report("init-model \(preset.rawValue)", try timed(runs: 1) {
                try RandomCLIPFolder.write(preset: preset, seed: 0, to: directory.appendingPathComponent(preset.rawValue))
            })
        }
    }
}
