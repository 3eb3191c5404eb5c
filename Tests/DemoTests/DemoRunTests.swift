import Demo
import Evaluation
import Foundation
import Testing
import TestSupport

/// The quick start end to end at CI size: synthesise, train, evaluate, score — every output is
/// there, every metric is a number in [0, 1] or explicitly undefined, and the sample's scores are
/// probabilities. (With a random-weight model the values themselves mean nothing.)
@Suite("built-in demo")
struct DemoRunTests {
    @Test("the CI-size demo runs end to end")
    func ciDemo() throws {
        let dir = try TestPaths.temporaryDirectory("pointad-demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        var settings = DemoSettings(directory: dir)
        settings.size = .ci
        settings.epochs = 2
        settings.quiet = true
        var steps: [String] = []
        let outcome = try DemoRun.run(settings) { steps.append($0) }
        #expect(steps.count == 4)
        #expect(outcome.losses.count == 2 && outcome.losses.allSatisfy(\.isFinite))
        for report in [outcome.trained, outcome.untrained] {
            #expect(report.failures.isEmpty)
            #expect(Set(report.classes.map(\.className)) == Set(outcome.workspace.testClasses))
            for c in report.classes {
                for value in [c.objectAUROC, c.objectAP, c.pointAUROC, c.aupro].compactMap({ $0 }) {
                    #expect((0...1).contains(value), "\(c.className): \(value)")
                }
            }
        }
        for file in ["results.json", "results.md", "samples.csv"] {
            #expect(FileManager.default.fileExists(atPath: outcome.evaluationDirectory.appendingPathComponent(file).path), "\(file)")
        }
        #expect((0...1).contains(outcome.score.objectScore))
        #expect(outcome.score.pointScoreMinimum >= 0 && outcome.score.pointScoreMaximum <= 1)
        #expect(outcome.score.outputs.contains { $0.hasSuffix(".ply") } && outcome.score.outputs.filter { $0.contains("_view") && $0.hasSuffix(".png") }.count == 9)
        #expect(outcome.score.outputs.contains { $0.hasSuffix("_overlays.png") } && outcome.score.outputs.contains { $0.hasSuffix("_renders.png") })
        let text = DemoReport.text(outcome)
        #expect(text.contains("RANDOM weights") && text.contains("| **mean** |"))
    }
}

/// The README shows the quick start's output verbatim; this runs the same command (the standard
/// demo, 2 threads, from a scratch folder) and compares. If the pipeline changes, regenerate the
/// README block with `Scripts/readme-demo.sh`.
@Suite("README quick start")
struct ReadmeDemoTests {
    @Test("`pointad demo` prints what the README shows")
    func readmeMatches() throws {
        let readme = try String(contentsOf: TestPaths.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "<!-- demo-output:start -->\n```text\n"))
        let end = try #require(readme.range(of: "```\n<!-- demo-output:end -->"))
        let shown = String(readme[start.upperBound..<end.lowerBound])
        let dir = try TestPaths.temporaryDirectory("pointad-readme-demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try runPointad(["demo", "--quiet", "--threads", "2"], currentDirectory: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == shown)
    }
}
