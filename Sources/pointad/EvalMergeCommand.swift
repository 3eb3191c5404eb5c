import ArgumentParser
import Evaluation
import Foundation

/// `pointad eval merge DIR... --out DIR`: the outputs of one whole run from its shards' partial results.
struct EvalMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Combine the partial results of `pointad eval --shard K/N` runs.")

    @Argument(help: "The shards' output folders (all N of them, any order).") var partials: [String]
    @Option(help: "Output folder.") var out: String
    @Flag(help: "No progress output.") var quiet = false

    func run() throws {
        let report = try BatchEvaluation.merge(partials.map { URL(fileURLWithPath: $0) }, into: URL(fileURLWithPath: out), quiet: quiet)
        print(ReportFiles.markdown(report), terminator: "")
        print("wrote \(out)/results.json, results.md, samples.csv")
        try exitIfUntrustworthy(report)
    }
}
