import Evaluation
import Foundation
import PointADSupport

/// The demo's closing printout: the evaluation table with trained prompts, the untrained
/// baseline's mean row, and where the pictures are. Paths are shown as the user gave them
/// (relative stays relative), so the README can show this text verbatim.
public enum DemoReport {
    public static func text(_ o: DemoOutcome) -> String {
        var lines: [String] = []
        lines.append("")
        lines.append(ModelFolder.randomWeightsWarning)
        lines.append("training loss by epoch: " + o.losses.map { String(format: "%.3f", $0) }.joined(separator: " → "))
        lines.append("")
        lines.append("zero-shot results on the held-out classes (trained on \(o.workspace.trainClasses.joined(separator: ", "))):")
        lines.append("")
        lines.append(ReportFiles.markdown(o.trained).trimmingCharacters(in: .newlines))
        lines.append("")
        lines.append("untrained prompts, mean: " + meanLine(o.untrained))
        lines.append("trained prompts,   mean: " + meanLine(o.trained))
        lines.append("")
        lines.append("sample scan \(o.workspace.samplePLY.lastPathComponent): object score \(String(format: "%.4f", o.score.objectScore))")
        lines.append("heat-map PLY and view PNGs: \(o.scoreDirectory.relativePath)/")
        for output in o.score.outputs { lines.append("  \(output)") }
        lines.append("evaluation files: \(o.evaluationDirectory.relativePath)/results.json, results.md, samples.csv")
        return lines.joined(separator: "\n") + "\n"
    }

    static func meanLine(_ report: EvaluationReport) -> String {
        let m = report.mean
        func pct(_ v: Double?) -> String { v.map { String(format: "%.1f", $0 * 100) } ?? "n/a" }
        return "I-AUROC \(pct(m.objectAUROC))  AP \(pct(m.objectAP))  P-AUROC \(pct(m.pointAUROC))  AUPRO \(pct(m.aupro))"
    }
}
