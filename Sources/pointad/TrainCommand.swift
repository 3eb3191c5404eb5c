import ArgumentParser
import Evaluation
import Foundation
import PointADSupport
import PointClouds
import PointADModel
import Rendering
import Training

/// `pointad train`: learns the prompts on a labelled dataset and writes a prompts checkpoint.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the object-agnostic prompts (only the prompts learn; CLIP stays frozen).",
        discussion: """
            Renders every training object, runs the vision tower once per view and keeps the features in a \
            memory-mapped cache (reused while model, layers, renderer and data are unchanged). Then trains with the \
            reference's losses and Adam (betas 0.5, 0.999), writing the checkpoint atomically after every epoch; \
            --resume continues from it exactly as an uninterrupted run. Defaults are the reference's: 15 epochs, \
            batch 4, lr 1e-3, seed 111, n_ctx 12, deep prompts depth 9 × length 4, on the test split of the classes.
            """)

    @Option(help: "Hugging Face CLIP folder.") var model: String
    @Option(help: "Dataset root.") var data: String
    @Option(help: "Dataset layout: \(DatasetKind.allCases.map(\.rawValue).joined(separator: ", ")).") var dataset: DatasetKind
    @Option(parsing: .upToNextOption, help: "Classes to train on (default: all); space or comma separated.") var classes: [String] = []
    @Option(help: "Comma-separated splits to train on (the reference trains on 'test').") var splits: String = "test"
    @Option(help: "Checkpoint (.safetensors), rewritten after every epoch.") var out: String
    @Flag(help: "Continue from --out if it exists (same settings; --epochs may grow).") var resume = false
    @Flag(help: "Replace an existing --out checkpoint (otherwise refused unless --resume).") var force = false
    @Option(help: "Epochs.") var epochs: Int = 15
    @Option(name: .customLong("batch-size"), help: "Objects per optimisation step.") var batchSize: Int = 4
    @Option(help: "Adam learning rate.") var lr: Float = 1e-3
    @Option(help: "Seed (prompt initialisation, sample order).") var seed: UInt64 = 111
    @Option(name: .customLong("n-ctx"), help: "Learnable context tokens per prompt.") var nCtx: Int = 12
    @Option(name: .customLong("deep-depth"), help: "Text blocks that see learnable tokens (1 = no deep prompts).") var deepDepth: Int = 9
    @Option(name: .customLong("deep-length"), help: "Deep tokens per block.") var deepLength: Int = 4
    @Option(name: .customLong("loss-weights"), help: "e.g. point-dice=2,view-ce=0.5 (pixel-focal, pixel-dice, point-dice, object-ce, view-ce, geometry-dice, alignment).")
    var lossWeights: String?
    @Option(help: "pointad (rendering prompts) or pointad+ (also geometry prompts and the cross-hierarchy alignment).")
    var method: String = DetectionMethod.pointad.rawValue
    @Option(name: .customLong("geometry-points"), help: "PointAD+: points per object the geometry layer is trained on.")
    var geometryPoints: Int = 2048
    @Option(help: "Vision layers: paper (last block, the published setting), quarters, or a list like 6,12,18,24.")
    var layers: String = "paper"
    @Option(name: .customLong("dpam-layer"), help: "DPAM layer as the authors count it (default: 20 of 24, scaled).") var dpamLayer: Int?
    @Option(help: "View set: \(ViewSet.presets.keys.sorted().joined(separator: "|")) (default: the dataset's).") var views: String?
    @Option(name: .customLong("point-size"), help: "Square point size of every view in the view set's window (default: the reference's per class with the dataset's views: MVTec 3D-AD 5–12 by class).")
    var pointSize: Int?
    @Flag(name: .customLong("reference-view-grouping"), help: "Reproduce the reference's object-loss view grouping for batch > 1.")
    var referenceViewGrouping = false
    @Option(help: "Feature cache file (default: beside --out).") var cache: String?
    @Flag(help: "No progress output.") var quiet = false
    @Option(help: preprocessHelp) var preprocess: ScanPreprocessing = .btf
    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        guard DetectionMethod(rawValue: method) != nil else {
            throw ValidationError("--method must be one of \(DetectionMethod.allCases.map(\.rawValue).joined(separator: ", ")), got '\(method)'")
        }
        if resume && force { throw ValidationError("--resume continues the checkpoint and --force replaces it: pass one") }
        if let pointSize, !(1...64).contains(pointSize) { throw ValidationError("--point-size must be 1…64, got \(pointSize)") }
        if let views, ViewSet.presets[views] == nil {
            throw ValidationError("unknown --views '\(views)'; choose one of \(ViewSet.presets.keys.sorted().joined(separator: ", "))")
        }
    }

    func run() throws {
        compute.apply()
        printBLASKernelWarning()
        var s = TrainingRunSettings(model: URL(fileURLWithPath: model), data: URL(fileURLWithPath: data),
                                    dataset: dataset, output: URL(fileURLWithPath: out))
        s.classes = classList(classes)
        s.splits = splits.split(separator: ",").map(String.init)
        s.resume = resume
        s.force = force
        s.training.epochs = epochs
        s.training.batchSize = batchSize
        s.training.learningRate = lr
        s.training.seed = seed
        s.training.contextLength = nCtx
        s.training.deepDepth = deepDepth
        s.training.deepLength = deepLength
        s.training.replicatesViewGroupingBug = referenceViewGrouping
        s.training.trainsGeometryLayer = DetectionMethod(rawValue: method) == .pointadPlus
        s.training.geometry.points = geometryPoints
        if let lossWeights { s.training.weights = try LossWeights(parsing: lossWeights) }
        s.layers = try LayerSelection(parsing: layers)
        s.dpamLayer = dpamLayer
        s.views = views.flatMap { ViewSet.presets[$0] }
        s.pointSize = pointSize
        s.cache = cache.map { URL(fileURLWithPath: $0) }
        s.quiet = quiet
        s.preprocessing = dataset == .mvtec3d ? preprocess : .none
        if ModelFolder.isRandomWeights(s.model) { FileHandle.standardError.write(Data((ModelFolder.randomWeightsWarning + "\n").utf8)) }
        let summary = try TrainingRun.run(s, loader: DatasetSampleLoader(preprocessing: s.preprocessing))
        guard !summary.epochs.isEmpty else {
            print("\(out) already holds \(summary.firstEpoch) epoch\(summary.firstEpoch == 1 ? "" : "s"), --epochs asks for \(epochs): nothing to train; the checkpoint is left unchanged")
            return
        }
        for (i, terms) in summary.epochs.enumerated() { print("epoch \(summary.firstEpoch + i + 1): \(terms.summary)") }
        print("wrote \(out) (\(summary.samples) objects, feature cache \(summary.cacheReused ? "reused" : "built"))")
    }
}
