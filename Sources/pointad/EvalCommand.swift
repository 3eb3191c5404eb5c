import ArgumentParser
import Evaluation
import Foundation
import PointADModel
import PointADSupport

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
    @Option(help: "Trained prompts checkpoint.") var prompts: String
    @Option(parsing: .upToNextOption, help: "Classes to evaluate (default: all); space or comma separated.") var classes: [String] = []
    @Option(help: "Split to evaluate: test, train or validation.") var split: String = "test"
    @Option(help: "Output folder.") var out: String
    @Option(help: "Score only shard K of N (K = 0…N−1) and write a partial result.") var shard: String?
    @Option(help: "pointad (rendering layer) or pointad+ (rendering + geometry layers).") var method: String = DetectionMethod.pointad.rawValue
    @Flag(help: "Fuse each sample's registered RGB image (MVTec 3D-AD, Eyecandies), as the papers' points + RGB tables.") var rgb = false
    @Flag(help: "Also write scores/<class>/<defect>/<stem>.npy (float32, in input point order).") var saveScores = false
    @Option(name: .customLong("protocol"), help: protocolHelp) var evaluationProtocol: EvaluationProtocol = .paperDefault
    @Flag(help: "Do not draw the samples' sheets into pictures/ (report.html then has the metrics and curves only).") var noPictures = false
    @Flag(help: "No progress output.") var quiet = false
    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        guard DetectionMethod(rawValue: method) != nil else {
            throw ValidationError("--method must be one of \(DetectionMethod.allCases.map(\.rawValue).joined(separator: ", ")), got '\(method)'")
        }
        if let shard { do { _ = try Shard(shard) } catch { throw ValidationError("\(error)") } }
        guard ["test", "train", "validation"].contains(split) else { throw ValidationError("--split must be test, train or validation, got '\(split)'") }
    }

    func run() throws {
        compute.apply()
        var detectorSettings = DetectorSettings()
        detectorSettings.scoring.method = DetectionMethod(rawValue: method)!
        let detector = try Detector(model: URL(fileURLWithPath: model), prompts: URL(fileURLWithPath: prompts), settings: detectorSettings)
        var notes = ["model": model, "prompts": prompts, "method": method, "rgb": rgb ? "fused" : "no"]
        if detector.hasRandomWeights {
            FileHandle.standardError.write(Data((ModelFolder.randomWeightsWarning + "\n").utf8))
            notes["weights"] = "random (a test model, not CLIP: the numbers mean nothing)"
        }
        var settings = EvaluationSettings(
            dataset: dataset, data: URL(fileURLWithPath: data), classes: classList(classes), split: split,
            output: URL(fileURLWithPath: out), shard: try shard.map { try Shard($0) }, saveScores: saveScores, notes: notes,
            evaluationProtocol: evaluationProtocol)
        settings.pictures = !noPictures
        let scorer = DetectorSampleScorer(detector: detector, fuseRGB: rgb)
        if let report = try BatchEvaluation.run(settings, loader: DatasetSampleLoader(), scorer: scorer, quiet: quiet) {
            print(ReportFiles.markdown(report), terminator: "")
            print("wrote \(out)/results.json, results.md, samples.csv, report.html")
        } else {
            print("wrote the partial result of shard \(shard ?? "") to \(out); combine with `pointad eval merge`")
        }
    }
}

/// `--classes a b` and `--classes a,b` both work.
func classList(_ values: [String]) -> [String]? {
    let names = values.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
    return names.isEmpty ? nil : names
}
