import CLIP
import Evaluation
import Foundation
import PointADModel
import PointADSupport
import Synthesis
import Training

/// What `pointad demo` does, with its knobs.
public struct DemoSettings: Sendable {
    /// Folder for everything the demo writes (inputs, prompts, evaluation, scores).
    public var directory: URL
    public var size: SyntheticDemo.Size = .standard
    public var seed: UInt64 = 0
    public var epochs = 4
    public var method: DetectionMethod = .pointad
    public var quiet = false

    public init(directory: URL) { self.directory = directory }
}

/// Where the demo's results are and what they say.
public struct DemoOutcome: Sendable {
    public let workspace: SyntheticDemo.Workspace
    /// The trained prompts.
    public let prompts: URL
    /// Evaluation of the held-out classes with the trained prompts, and with the untrained
    /// (seed-initialised) prompts, to show what training bought.
    public let trained: EvaluationReport
    public let untrained: EvaluationReport
    public let evaluationDirectory: URL
    /// The scored sample scan: its summary and the folder with its heat-map PLY and view PNGs.
    public let score: DetectionSummary
    public let scoreDirectory: URL
    /// Mean loss per epoch.
    public let losses: [Double]
}

/// The built-in demo: the whole job on data and a model it makes itself.
///
/// 1. synthesise a small MVTec 3D-AD-style dataset of raw table scans and a tiny random-weight CLIP
///    (`Synthesis`); steps 2 and 3 preprocess the scans on the fly as the reference does (`--preprocess btf`),
/// 2. train the prompts on one class (`Training`), as PointAD trains on one auxiliary class,
/// 3. evaluate zero-shot on the other classes, with trained and with untrained prompts (`Evaluation`),
/// 4. score one defective `.ply` and write its heat-map PLY and view overlays (`PointADModel`).
///
/// The same steps run unchanged on real CLIP weights and benchmarks with `pointad train`, `eval`
/// and `score`. With random weights the numbers only show that the machinery works.
public enum DemoRun {
    public static func run(_ s: DemoSettings, log: (String) -> Void) throws -> DemoOutcome {
        let inputs = s.directory.appendingPathComponent("inputs")
        log("1/4 synthesising a \(s.size.rawValue) dataset and a tiny random-weight CLIP in \(inputs.path)")
        let workspace = try SyntheticDemo.prepare(in: inputs, size: s.size, seed: s.seed, quiet: s.quiet)

        let prompts = s.directory.appendingPathComponent("prompts.safetensors")
        log("2/4 training prompts on class \(workspace.trainClasses.joined(separator: ", ")) for \(s.epochs) epochs")
        var training = TrainingRunSettings(model: workspace.model, data: workspace.dataset, dataset: .mvtec3d, output: prompts)
        training.classes = workspace.trainClasses
        training.training = try settings(for: s, model: workspace.model)
        training.quiet = s.quiet
        // The scans are raw (object on a table): preprocessed on the fly, as `pointad train` does by default.
        training.preprocessing = .btf
        // A fresh demo trains from scratch even if an earlier run left a checkpoint here.
        try? FileManager.default.removeItem(at: prompts)
        let summary = try TrainingRun.run(training, loader: DatasetSampleLoader(preprocessing: .btf))

        let untrainedPrompts = s.directory.appendingPathComponent("prompts-untrained.safetensors")
        try initialPrompts(training.training, model: workspace.model).write(
            to: untrainedPrompts, metadata: ["note": "untrained prompts (the seed's initialisation), for comparison"])

        let evaluation = s.directory.appendingPathComponent("eval")
        log("3/4 evaluating zero-shot on classes \(workspace.testClasses.joined(separator: ", "))")
        let trained = try evaluate(workspace, prompts: prompts, method: s.method, into: evaluation, quiet: s.quiet)
        let untrained = try evaluate(workspace, prompts: untrainedPrompts, method: s.method,
                                     into: s.directory.appendingPathComponent("eval-untrained"), quiet: s.quiet)

        let scores = s.directory.appendingPathComponent("score")
        log("4/4 scoring \(workspace.samplePLY.lastPathComponent)")
        var detectorSettings = DetectorSettings()
        detectorSettings.scoring.method = s.method
        let detector = try Detector(model: workspace.model, prompts: prompts, settings: detectorSettings)
        var scored: DetectionSummary?
        try ScoreRun(detector: detector, outputDirectory: scores).run([workspace.samplePLY]) { scored = $0 }
        guard let scored else { throw UsageError("the demo's sample scan produced no score") }

        return DemoOutcome(workspace: workspace, prompts: prompts, trained: trained, untrained: untrained,
                           evaluationDirectory: evaluation, score: scored, scoreDirectory: scores,
                           losses: summary.epochs.map(\.total))
    }

    /// The reference's training settings, with the deep prompts fitted to the tiny text encoder.
    static func settings(for s: DemoSettings, model: URL) throws -> TrainingSettings {
        var t = TrainingSettings()
        t.epochs = s.epochs
        t.seed = s.seed &+ 111
        t.trainsGeometryLayer = s.method == .pointadPlus
        let textLayers = try CLIPConfiguration(contentsOf: model.appendingPathComponent("config.json")).text.layers
        t.deepDepth = min(t.deepDepth, textLayers)
        return t
    }

    /// The prompts training starts from, saved so the untrained baseline can be scored.
    static func initialPrompts(_ t: TrainingSettings, model: URL) throws -> HierarchicalPrompts {
        let width = try CLIPConfiguration(contentsOf: model.appendingPathComponent("config.json")).text.hiddenSize
        let (rendering, geometry) = PromptTrainer.initialPrompts(t, width: width)
        return HierarchicalPrompts(rendering: rendering, geometry: geometry)
    }

    static func evaluate(_ w: SyntheticDemo.Workspace, prompts: URL, method: DetectionMethod, into directory: URL,
                         quiet: Bool) throws -> EvaluationReport {
        var detectorSettings = DetectorSettings()
        detectorSettings.scoring.method = method
        let detector = try Detector(model: w.model, prompts: prompts, settings: detectorSettings)
        let settings = EvaluationSettings(
            dataset: .mvtec3d, data: w.dataset, classes: w.testClasses, output: directory,
            notes: ["model": w.model.path, "prompts": prompts.path, "method": method.rawValue,
                    "weights": "random (a test model, not CLIP: the numbers mean nothing)",
                    "preprocess": "btf (MVTec 3D-AD reference preprocessing, on the fly; metrics on the padded gt)"])
        guard let report = try BatchEvaluation.run(settings, loader: DatasetSampleLoader(preprocessing: .btf),
                                                   scorer: DetectorSampleScorer(detector: detector), quiet: quiet) else {
            throw UsageError("evaluation of \(w.dataset.path) returned no report")
        }
        return report
    }
}
