import Foundation
import PointADSupport

/// Writes a report as `results.json` (fractions, nulls where undefined), `results.md` (the papers'
/// layout: percent, one decimal), `samples.csv` and `report.html` (`EvaluationPage`), each atomically.
public enum ReportFiles {
    /// What each results.json metric means under `evaluation` (the cells pooled are named in each
    /// point-level label).
    public static func metricDefinitions(_ evaluation: EvaluationProtocol, dataset: DatasetKind = .mvtec3d) -> [(key: String, text: String)] {
        let cells = "[protocol \(evaluation.rawValue)] over \(evaluation.cells(for: dataset))"
        let pooled: [(key: String, text: String)] = [
            ("i_auroc", "object-level AUROC, scikit-learn roc_auc_score (ties count half)"),
            ("ap", "object-level average precision, scikit-learn average_precision_score (step-wise)"),
            ("p_auroc", "point-level AUROC, scikit-learn roc_auc_score, all samples of the class pooled, \(cells)"),
            ("p_ap", "point-level average precision, pooled the same way, \(cells)"),
        ]
        if !dataset.hasRegions && evaluation == .pointad {
            // test_only_point.py computes no AU-PRO: both are absent (null), never 0.
            return pooled + [("aupro", "not computed under this protocol (PointAD's Real3D-AD tables have none): null"),
                             ("aupro_pointad", "not computed under this protocol: null")]
        }
        return pooled + [
            ("aupro", "MVTec official AU-PRO: FPR limit 0.3, 100 thresholds, 8-connected gt regions, normalised by 0.3, \(cells); null for unorganised clouds"
                + (evaluation == .pointad ? "" : " (the AUPRO column of results.md)")),
            ("aupro_pointad", "PointAD/AnomalyCLIP cal_pro_score variant: 200 equally spaced thresholds, FPR < 0.3, FPR min-max rescaled, \(cells)"
                + (evaluation == .pointad ? " (the AUPRO column of results.md)" : "")),
        ]
    }

    public static func write(_ report: EvaluationReport, to directory: URL, settings: [String: String] = [:]) throws {
        try AtomicFile.write(json(report, settings: settings), to: directory.appendingPathComponent("results.json"))
        try AtomicFile.write(markdown(report), to: directory.appendingPathComponent("results.md"))
        try AtomicFile.write(csv(report), to: directory.appendingPathComponent("samples.csv"))
        try AtomicFile.write(EvaluationPage.html(report, in: directory, settings: settings),
                             to: directory.appendingPathComponent(EvaluationPage.fileName))
    }

    // MARK: - results.json

    static func json(_ report: EvaluationReport, settings: [String: String]) -> String {
        var out = "{\n"
        out += "  \"dataset\": \(quoted(report.dataset.rawValue)),\n"
        out += "  \"split\": \(quoted(report.split)),\n"
        out += "  \"protocol\": \(quoted(report.evaluationProtocol.rawValue)),\n"
        for (key, value) in settings.sorted(by: { $0.key < $1.key }) { out += "  \(quoted(key)): \(quoted(value)),\n" }
        out += "  \"metrics\": {\n" + metricDefinitions(report.evaluationProtocol, dataset: report.dataset).map { "    \(quoted($0.key)): \(quoted($0.text))" }.joined(separator: ",\n") + "\n  },\n"
        out += "  \"classes\": [\n" + report.classes.map { "    " + object($0) }.joined(separator: ",\n") + "\n  ],\n"
        out += "  \"mean\": \(object(report.mean, classCount: report.classes.count)),\n"
        out += "  \"samples\": \(report.samples.count),\n"
        out += "  \"failed\": \(report.failures.count),\n"
        out += "  \"failures\": [" + (report.failures.isEmpty ? "" : "\n" + report.failures.map {
            "    {\"index\": \($0.index), \"class\": \(quoted($0.className)), \"stem\": \(quoted($0.stem)), \"path\": \(quoted($0.path)), \"problem\": \(quoted($0.problem))}"
        }.joined(separator: ",\n") + "\n  ") + "],\n"
        out += "  \"version\": \(quoted(PointADVersion.string))\n}\n"
        return out
    }

    private static func object(_ m: ClassMetrics, classCount: Int? = nil) -> String {
        var fields = [(String, String)]()
        if let classCount { fields.append(("classes", "\(classCount)")) } else { fields.append(("class", quoted(m.className))) }
        fields += [("i_auroc", number(m.objectAUROC)), ("ap", number(m.objectAP)), ("p_auroc", number(m.pointAUROC)),
                   ("p_ap", number(m.pointAP)), ("aupro", number(m.aupro)), ("aupro_pointad", number(m.auproPointAD)),
                   ("samples", "\(m.samples)"), ("anomalous", "\(m.anomalous)"), ("normal", "\(m.normal)"),
                   ("unlabeled", "\(m.unlabeled)"), ("failed", "\(m.failed)"), ("points", "\(m.points)"),
                   ("anomalous_points", "\(m.anomalousPoints)")]
        return "{" + fields.map { "\(quoted($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
    }

    private static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "null" }
        return "\(value)"
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    // MARK: - results.md

    /// The results.md table (also what the CLI prints).
    public static func markdown(_ report: EvaluationReport) -> String {
        func percent(_ v: Double?) -> String { v.map { String(format: "%.1f", $0 * 100) } ?? "–" }
        var out = "| \(report.dataset.rawValue) | I-AUROC | AP | P-AUROC | AUPRO |\n|---|---|---|---|---|\n"
        for (i, m) in (report.classes + [report.mean]).enumerated() {
            let name = i == report.classes.count ? "**mean**" : m.className
            out += "| \(name) | \(percent(m.objectAUROC)) | \(percent(m.objectAP)) | \(percent(m.pointAUROC)) | \(percent(report.reportedAUPRO(m))) |\n"
        }
        out += "\nPercent. I-AUROC, AP: object level (scikit-learn). P-AUROC, AUPRO: all samples of a class pooled, "
        switch report.evaluationProtocol {
        case .points: out += "over the valid points (protocol `points`). "
        case .mvtec: out += "over every pixel of each scan's full grid (protocol `mvtec`, MVTec 3D-AD's official evaluator). "
        case .pointad where !report.dataset.hasRegions:
            out += "over the points each sample was resampled to before rendering (112,896, or 10·N for small clouds), labels carried from the input as test_only_point.py does (protocol `pointad`). "
        case .pointad: out += "over every cell of the 336×336 grid, background included (protocol `pointad`, PointAD's metrics.py). "
        }
        out += report.evaluationProtocol == .pointad && !report.dataset.hasRegions
            ? "AUPRO: not computed under this protocol (as PointAD's Real3D-AD tables). "
            : report.evaluationProtocol == .pointad
            ? "AUPRO: PointAD's cal_pro_score variant (MVTec's official one is `aupro` in results.json). "
            : "AUPRO: MVTec's official AU-PRO (FPR ≤ 0.3, 100 thresholds, 8-connected regions); PointAD's variant is `aupro_pointad` in results.json. "
        out += "Mean: unweighted over classes. "
        out += "\(report.samples.count) samples scored, \(report.failures.count) failed (listed in results.json).\n"
        return out
    }

    // MARK: - samples.csv

    static func csv(_ report: EvaluationReport) -> String {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        // New columns go last so readers of the first six keep working; rank is within the class.
        var out = "class,split,defect,stem,object_score,label,max_point_score,rank,path\n"
        for (r, rank) in zip(report.samples, report.ranks) {
            out += [field(r.className), field(r.split), field(r.defect), field(r.stem), "\(r.objectScore)", r.label.map(String.init) ?? "",
                    r.maxPointScore.map { "\($0)" } ?? "", "\(rank)", field(r.path)]
                .joined(separator: ",") + "\n"
        }
        return out
    }
}
