import ArgumentParser
import Evaluation
import Foundation
import PointADModel
import PointADSupport
import PointClouds
import Rendering

extension DatasetKind: ExpressibleByArgument {}
extension EvaluationProtocol: ExpressibleByArgument {}

/// The help of `--protocol`, shared by `eval` and `metrics`.
let protocolHelp = ArgumentHelp(
    "Point-level cells for MVTec 3D-AD / Eyecandies: points (valid points only), mvtec (every pixel of the full grid, MVTec's official evaluator) or pointad (the 336×336 grid, background included, PointAD's metrics.py; reproduces the papers).")

/// `pointad eval`: score every sample of a benchmark and compute the papers' metrics; `eval merge`
/// combines the partial results of `--shard` runs.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate on a benchmark (MVTec 3D-AD, Real3D-AD, Anomaly-ShapeNet, Eyecandies, plain folder).",
        subcommands: [EvalRunCommand.self, EvalMergeCommand.self],
        defaultSubcommand: EvalRunCommand.self)
}

struct EvalRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Score every sample and write results.json, results.md, samples.csv and report.html (the default of `pointad eval`).",
        discussion: """
            With --shard K/N only samples whose walk index i has i mod N = K are scored (K from 0) and a
            partial result is written; `pointad eval merge DIR...` then writes the outputs of one whole run.
            """)

    @Option(help: "Dataset layout: \(DatasetKind.allCases.map(\.rawValue).joined(separator: ", ")).") var dataset: DatasetKind
    @Option(help: "Dataset root folder.") var data: String
    @Option(help: "CLIP model folder (Hugging Face layout).") var model: String
    @Option(help: "Trained prompts checkpoint (default: the built-in WinCLIP templates).") var prompts: String?
    @Flag(help: "Also evaluate the classes the prompts were trained on (left out by default, as PointAD's zero-shot test does).")
    var includeTrainingClasses = false
    @Option(parsing: .upToNextOption, help: "Classes to evaluate (default: all); space or comma separated.") var classes: [String] = []
    @Option(help: "Split to evaluate: test, train or validation.") var split: String = "test"
    @Option(help: "Output folder.") var out: String
    @Option(help: "Score only shard K of N (K = 0…N−1) and write a partial result.") var shard: String?
    @Option(help: "pointad (rendering layer) or pointad+ (rendering + geometry layers).") var method: String = DetectionMethod.pointad.rawValue
    @Flag(help: "Fuse each sample's registered RGB image (MVTec 3D-AD, Eyecandies), as the papers' points + RGB tables.") var rgb = false
    @Flag(help: "Also write scores/<class>/<defect>/<stem>.npy (float32, in input point order).") var saveScores = false
    @Option(name: .customLong("protocol"), help: protocolHelp) var evaluationProtocol: EvaluationProtocol = .paperDefault
    @Option(help: preprocessHelp) var preprocess: ScanPreprocessing = .btf
    @Flag(help: "Score as the authors' code wherever pointad departs from it (implied by --protocol pointad): unseen points take the nearest seen point in file order, a cloud's point list is smoothed as a 336×336 image.")
    var referenceBehaviour = false
    @Option(help: "Real3D-AD resampling to 112,896 points: reference|none (default: reference for real3d and shapenet).") var resample: ResampleMode?
    @Option(name: .customLong("point-size"), help: "Square point size of every view in the view set's window (default: the reference's per class: MVTec 3D-AD 5–12 by class, Eyecandies 10, Real3D-AD 12).")
    var pointSize: Int?
    @Option(help: "Folder caching the vision tower's outputs: a second eval of the same data (other prompts) skips CLIP.") var cache: String?
    @Flag(help: "Do not draw the samples' sheets into pictures/ (report.html then has the metrics and curves only).") var noPictures = false
    @Flag(help: "No progress output.") var quiet = false
    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        if rgb && preprocess == .btf && dataset == .mvtec3d {
            throw ValidationError("--rgb with --preprocess btf: the rgb images would not match the padded scans; write a preprocessed copy with `pointad preprocess` and evaluate it with --preprocess none")
        }
        guard DetectionMethod(rawValue: method) != nil else {
            throw ValidationError("--method must be one of \(DetectionMethod.allCases.map(\.rawValue).joined(separator: ", ")), got '\(method)'")
        }
        if let shard { do { _ = try Shard(shard) } catch { throw ValidationError("\(error)") } }
        if let pointSize, !(1...64).contains(pointSize) { throw ValidationError("--point-size must be 1…64, got \(pointSize)") }
        if resample == ResampleMode.none, evaluationProtocol.effective(for: dataset) == .pointad, !dataset.hasRegions {
            throw ValidationError("--protocol pointad scores \(dataset.rawValue) on the points each cloud is resampled to, as test_only_point.py; "
                                  + "--resample none renders the given points: use --protocol points with it")
        }
        guard ["test", "train", "validation"].contains(split) else { throw ValidationError("--split must be test, train or validation, got '\(split)'") }
    }

    func run() throws {
        compute.apply()
        printBLASKernelWarning()
        let root = URL(fileURLWithPath: data)
        try dataset.checkLayout(of: root)
        let source = PromptSource(path: prompts)
        let evaluated = try classesToEvaluate(source: source, root: root)
        var detectorSettings = DetectorSettings()
        detectorSettings.scoring.method = DetectionMethod(rawValue: method)!
        let behaviour: ScoringBehaviour = referenceBehaviour || evaluationProtocol == .pointad ? .reference : .improved
        detectorSettings.scoring.behaviour = behaviour
        detectorSettings.views = DatasetViews.viewSet(for: dataset)
        detectorSettings.resample = resample
        detectorSettings.featureCache = cache.map { URL(fileURLWithPath: $0) }
        let detector = try Detector(model: URL(fileURLWithPath: model), promptSource: source, settings: detectorSettings)
        let applied: ScanPreprocessing = dataset == .mvtec3d ? preprocess : .none
        var notes = ["model": model, "prompts": source.label, "version": PointADVersion.string, "method": method, "rgb": rgb ? "fused" : "no",
                     "preprocess": applied == .btf ? "btf (MVTec 3D-AD reference preprocessing, on the fly; metrics on the padded gt)" : "none",
                     "behaviour": behaviour.rawValue, "views": detectorSettings.views?.name ?? "detector default",
                     "resample": resample?.rawValue ?? "default (reference for real3d views)"]
        let pointSizes = ClassPointSize.forClasses(try evaluated ?? DatasetWalker(kind: dataset, root: root).classes(), dataset: dataset,
                                                   views: detectorSettings.views, explicit: pointSize)
        for (name, size) in pointSizes { notes["point_size.\(name)"] = size.description }
        if detector.hasRandomWeights {
            FileHandle.standardError.write(Data((ModelFolder.randomWeightsWarning + "\n").utf8))
            notes["weights"] = "random (a test model, not CLIP: the numbers mean nothing)"
        }
        var settings = EvaluationSettings(
            dataset: dataset, data: root, classes: evaluated, split: split,
            output: URL(fileURLWithPath: out), shard: try shard.map { try Shard($0) }, saveScores: saveScores, notes: notes,
            evaluationProtocol: evaluationProtocol)
        settings.pictures = !noPictures
        let scorer = DetectorSampleScorer(detector: detector, fuseRGB: rgb, pointSizes: pointSizes.mapValues(\.pointSize))
        defer { if let c = detector.featureCache, !quiet { reportCacheUse(c) } }
        if let report = try BatchEvaluation.run(settings, loader: DatasetSampleLoader(preprocessing: applied), scorer: scorer, quiet: quiet) {
            print(ReportFiles.markdown(report), terminator: "")
            let thresholds = BestF1Threshold.perClass(report)
            try AtomicFile.write(BestF1Threshold.json(thresholds), to: URL(fileURLWithPath: out).appendingPathComponent("thresholds.json"))
            print("\nbest-F1 object threshold per class (anomalous above it; chosen on these samples):")
            for (name, best) in thresholds {
                print(best.map { String(format: "  %@: %.4f  F1 %.3f  precision %.3f  recall %.3f", name, $0.threshold, $0.f1, $0.precision, $0.recall) }
                      ?? "  \(name): undefined (needs normal and anomalous samples)")
            }
            print("wrote \(out)/results.json, results.md, samples.csv, thresholds.json, report.html")
            try exitIfUntrustworthy(report)
        } else {
            print("wrote the partial result of shard \(shard ?? "") to \(out); combine with `pointad eval merge`")
        }
    }

    /// The classes to evaluate: those asked for (all when none), less the prompts' training
    /// classes unless --include-training-classes; nil means all.
    func classesToEvaluate(source: PromptSource, root: URL) throws -> [String]? {
        let asked = classList(classes)
        guard !includeTrainingClasses, let training = TrainingClasses(metadata: try source.metadata()) else { return asked }
        guard training.classes != nil else {
            if training.dataset == dataset.rawValue {
                FileHandle.standardError.write(Data("note: \(source.label) was trained on every class of a \(training.dataset) tree; if it was this one, the results are not zero-shot\n".utf8))
            }
            return asked
        }
        let available = try asked ?? DatasetWalker(kind: dataset, root: root).classes()
        let (kept, excluded) = training.split(available, dataset: dataset)
        if !excluded.isEmpty {
            FileHandle.standardError.write(Data("leaving out \(excluded.joined(separator: ", ")): the prompts were trained on \(excluded.count == 1 ? "it" : "them") (--include-training-classes keeps them)\n".utf8))
        }
        guard !kept.isEmpty else {
            throw UsageError("every class asked for (\(available.joined(separator: ", "))) is a training class of \(source.label); pass --include-training-classes to evaluate them anyway")
        }
        return kept
    }
}

/// Exits 1 (after the outputs are written) when no sample was scored or more than half failed.
func exitIfUntrustworthy(_ report: EvaluationReport) throws {
    if let problem = EvaluationVerdict.problem(report) {
        FileHandle.standardError.write(Data("error: \(problem); see the failures in results.json\n".utf8))
        throw ExitCode(1)
    }
}

/// `--classes a b` and `--classes a,b` both work.
func classList(_ values: [String]) -> [String]? {
    let names = values.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
    return names.isEmpty ? nil : names
}
