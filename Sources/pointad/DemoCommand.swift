import ArgumentParser
import Demo
import Evaluation
import Foundation
import PointADModel
import PointADSupport
import Synthesis

extension SyntheticDemo.Size: ExpressibleByArgument {}

/// `pointad demo`: the whole job on a synthetic dataset and a tiny random-weight model.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole job on built-in synthetic data: synthesise, train, evaluate zero-shot, score a .ply.",
        discussion: """
            Everything is made here: a small MVTec 3D-AD-style dataset and a tiny CLIP with RANDOM weights, so the \
            numbers only show that the machinery works. The same commands run on the real CLIP weights and \
            benchmarks: see the README.
            """)

    @Option(help: "Output folder.") var out: String = "demo-out"
    @Option(help: "Demo size: \(SyntheticDemo.Size.allCases.map(\.rawValue).joined(separator: ", ")).") var size: SyntheticDemo.Size = .standard
    @Option(help: "Training epochs.") var epochs: Int = 4
    @Option(help: "Seed for data, model and prompts.") var seed: UInt64 = 0
    @Option(help: "pointad or pointad+.") var method: String = DetectionMethod.pointad.rawValue
    @Flag(help: "No progress output.") var quiet = false
    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        guard DetectionMethod(rawValue: method) != nil else { throw ValidationError("--method must be pointad or pointad+, got '\(method)'") }
        guard epochs >= 1 else { throw ValidationError("--epochs must be ≥ 1, got \(epochs)") }
    }

    func run() throws {
        compute.apply()
        var settings = DemoSettings(directory: URL(fileURLWithPath: out))
        settings.size = size
        settings.epochs = epochs
        settings.seed = seed
        settings.method = DetectionMethod(rawValue: method)!
        settings.quiet = quiet
        // Step lines go to stderr with the progress bars, so they appear in order.
        let outcome = try DemoRun.run(settings) { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        print(DemoReport.text(outcome), terminator: "")
    }
}
