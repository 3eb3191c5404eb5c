import ArgumentParser
import Evaluation
import Foundation

/// `pointad metrics --scores DIR --labels DIR`: the benchmark metrics of saved per-point scores
/// (from `pointad eval --save-scores` or any other detector), without running a model.
struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Metrics of saved scores (<class>/<defect>/<stem>.npy) against a dataset's ground truth.",
        discussion: """
            Each .npy holds one float per point in input order (TIFF: valid pixels, row-major) or a full
            H×W map. Object scores come from samples.csv beside scores/ when present, else the maximum.
            """)

    @Option(help: "Saved scores: an eval output folder or a folder of <class>/<defect>/<stem>.npy.") var scores: String
    @Option(help: "The dataset root whose ground truth labels the scores.") var labels: String
    @Option(help: "Dataset layout (default: detected from the folders).") var dataset: DatasetKind?
    @Option(parsing: .upToNextOption, help: "Classes (default: all).") var classes: [String] = []
    @Option(help: "Split: test, train or validation.") var split: String = "test"
    @Option(help: "Also write results.json, results.md and samples.csv here.") var out: String?
    @Option(name: .customLong("protocol"), help: protocolHelp) var evaluationProtocol: EvaluationProtocol?
    @Flag(help: "No progress output.") var quiet = false

    func run() throws {
        let root = URL(fileURLWithPath: labels)
        let kind = try dataset ?? DatasetKind.detect(root)
        let scorer = try SavedScoresScorer(directory: URL(fileURLWithPath: scores))
        var chosen = evaluationProtocol ?? .paperDefault
        if evaluationProtocol == nil, chosen.effective(for: kind) == .pointad, !kind.hasRegions, !scorer.hasResampledScores {
            // Scores of the input points only (another detector's, or an eval with --resample none).
            FileHandle.standardError.write(Data("note: no resampled-point scores (<stem>\(SavedScoresScorer.resampledSuffix)) saved: \(kind.rawValue) is evaluated over the saved points (protocol points)\n".utf8))
            chosen = .points
        }
        let settings = EvaluationSettings(dataset: kind, data: root, classes: classList(classes), split: split,
                                          output: out.map { URL(fileURLWithPath: $0) },
                                          notes: ["scores": scores], evaluationProtocol: chosen)
        let report = try BatchEvaluation.run(settings, loader: DatasetSampleLoader(), scorer: scorer, quiet: quiet)!
        print(ReportFiles.markdown(report), terminator: "")
        if let out { print("wrote \(out)/results.json, results.md, samples.csv") }
    }
}
