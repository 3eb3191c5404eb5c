import Foundation
import PointADSupport

/// `report.html` of an evaluation: one self-contained page beside results.json — the settings, the
/// metrics table, each class's ROC and PRO curves (inline SVG), and per class its samples ranked by
/// object score with their sheets (`pictures/<class>/<defect>/<stem>.png`), the worst misses and
/// false alarms first. Only pictures that exist are named, so a run without pictures (saved
/// scores, `--no-pictures`) still gives a complete page.
public enum EvaluationPage {
    public static let fileName = "report.html"
    public static let picturesFolder = "pictures"
    /// Eval sheets shrink each view by this factor (thumbnails: 9 views per sample, many samples).
    public static let thumbnailShrink = 2

    /// Where a sample's picture goes, relative to the output folder.
    public static func picturePath(_ sample: SampleDescriptor) -> String {
        picturePath(className: sample.className, defect: sample.defect, stem: sample.stem)
    }

    static func picturePath(className: String, defect: String, stem: String) -> String {
        "\(picturesFolder)/\(safe(className))/\(safe(defect))/\(safe(stem)).png"
    }

    /// A path component that cannot climb out of its folder.
    static func safe(_ name: String) -> String {
        let cleaned = name.replacingOccurrences(of: "/", with: "_")
        return cleaned == "." || cleaned == ".." || cleaned.isEmpty ? "_" + cleaned : cleaned
    }

    /// The page for `report`, whose files are in `directory` (to see which pictures exist).
    public static func html(_ report: EvaluationReport, in directory: URL, settings: [String: String] = [:]) -> String {
        let e = HTMLPage.escape
        func percent(_ v: Double?) -> String { v.map { String(format: "%.1f", $0 * 100) } ?? "–" }
        let ranks = report.ranks
        var body = "<h1>pointad eval: \(e(report.dataset.rawValue)), \(e(report.split)) split</h1>\n"
        if let weights = settings["weights"] { body += "<p class=\"warning\">Model weights: \(e(weights))</p>\n" }
        if !settings.isEmpty {
            body += "<table>\n" + settings.sorted { $0.key < $1.key }.map {
                "<tr><th class=\"name\">\(e($0.key))</th><td class=\"name\">\(e($0.value))</td></tr>"
            }.joined(separator: "\n") + "\n</table>\n"
        }

        body += "<h2>Metrics</h2>\n<table>\n<tr><th class=\"name\">class</th><th>I-AUROC</th><th>AP</th><th>P-AUROC</th><th>P-AP</th>"
            + "<th>AUPRO</th><th>samples</th><th>anomalous</th><th>failed</th></tr>\n"
        for (i, m) in (report.classes + [report.mean]).enumerated() {
            let name = i == report.classes.count ? "<b>mean</b>" : "<a href=\"#class-\(i)\">\(e(m.className))</a>"
            body += "<tr><td class=\"name\">\(name)</td><td>\(percent(m.objectAUROC))</td><td>\(percent(m.objectAP))</td>"
                + "<td>\(percent(m.pointAUROC))</td><td>\(percent(m.pointAP))</td><td>\(percent(report.reportedAUPRO(m)))</td>"
                + "<td>\(m.samples)</td><td>\(m.anomalous)</td><td>\(m.failed)</td></tr>\n"
        }
        body += "</table>\n<p class=\"note\">Percent; protocol <code>\(e(report.evaluationProtocol.rawValue))</code>. "
            + "AUPRO: \(report.evaluationProtocol == .pointad ? (report.dataset.hasRegions ? "PointAD's cal_pro_score variant" : "not computed (PointAD's Real3D-AD protocol: P-AUROC over the resampled points)") : "MVTec's official AU-PRO (FPR ≤ 0.3)"). "
            + "Definitions in results.json and results.md; every sample in samples.csv (with its rank in its class).</p>\n"

        for (classIndex, m) in report.classes.enumerated() {
            body += "<h2 id=\"class-\(classIndex)\">\(e(m.className))</h2>\n"
            body += "<p>\(m.samples) samples (\(m.anomalous) anomalous, \(m.normal) good\(m.unlabeled > 0 ? ", \(m.unlabeled) unlabelled" : "")"
                + "\(m.failed > 0 ? ", \(m.failed) failed" : "")): I-AUROC \(percent(m.objectAUROC)), P-AUROC \(percent(m.pointAUROC)), "
                + "AUPRO \(percent(report.reportedAUPRO(m))).</p>\n"
            if let curves = m.curves { body += curvesSection(curves, report: report) }
            let members = report.samples.indices.filter { report.samples[$0].className == m.className }
                .sorted { ranks[$0] < ranks[$1] }
            // The cut that flags as many samples as the class has anomalies: below it an anomaly is
            // a miss, above it a good sample is a false alarm.
            let cut = members.filter { report.samples[$0].label.map { $0 != 0 } ?? false }.count
            let misses = members.filter { (report.samples[$0].label ?? 0) != 0 && ranks[$0] > cut }.reversed()
            let alarms = members.filter { report.samples[$0].label == 0 && ranks[$0] <= cut }
            func gallery(_ heading: String, _ indices: [Int]) -> String {
                guard !indices.isEmpty else { return "" }
                return "<h3>\(e(heading))</h3>\n<div>\n" + indices.map { figure(report.samples[$0], rank: ranks[$0], of: members.count, in: directory) }
                    .joined() + "</div>\n"
            }
            if cut > 0 && cut < members.count {
                body += "<p class=\"note\">Misses and false alarms at the cut that flags the \(cut) highest-scored samples "
                    + "(as many as the class has anomalies).</p>\n"
                body += misses.isEmpty && alarms.isEmpty ? "<p>No miss and no false alarm at that cut.</p>\n" : ""
            }
            body += gallery("Worst misses (anomalous, lowest score first)", Array(misses))
            body += gallery("Worst false alarms (good, highest score first)", alarms)
            body += gallery("All samples, ranked by object score", members)
        }

        if !report.failures.isEmpty {
            body += "<h2>Failed samples</h2>\n<table>\n<tr><th class=\"name\">class</th><th class=\"name\">file</th><th class=\"name\">problem</th></tr>\n"
            for f in report.failures {
                body += "<tr><td class=\"name\">\(e(f.className))</td><td class=\"name\">\(e(f.path))</td><td class=\"name\">\(e(f.problem))</td></tr>\n"
            }
            body += "</table>\n"
        }
        body += "<p class=\"note\">pointad \(e(PointADVersion.string)).</p>\n"
        return HTMLPage.document(title: "pointad eval: \(report.dataset.rawValue)", body: body)
    }

    static func curvesSection(_ curves: ClassCurves, report: EvaluationReport) -> String {
        var plots: [String] = []
        let roc = [CurvePlot.Series(name: "object", color: "#1f77b4", points: curves.objectROC),
                   CurvePlot.Series(name: "point", color: "#d62728", points: curves.pointROC)].filter { !$0.points.isEmpty }
        if !roc.isEmpty {
            plots.append(CurvePlot(title: "ROC", xLabel: "false-positive rate", yLabel: "true-positive rate", diagonal: true, series: roc).svg())
        }
        if !curves.pro.isEmpty {
            plots.append(CurvePlot(title: "PRO (MVTec, FPR ≤ 0.3)", xLabel: "false-positive rate", yLabel: "per-region overlap",
                                   xMaximum: 0.3, series: [.init(name: "PRO", color: "#2ca02c", points: curves.pro)]).svg())
        }
        return plots.isEmpty ? "" : "<div class=\"curves\">\n" + plots.joined(separator: "\n") + "\n</div>\n"
    }

    static func figure(_ row: EvaluationReport.Row, rank: Int, of count: Int, in directory: URL) -> String {
        let e = HTMLPage.escape
        let path = picturePath(className: row.className, defect: row.defect, stem: row.stem)
        let label = row.label.map { $0 != 0 ? "anomalous" : "good" } ?? "unlabelled"
        let caption = "#\(rank)/\(count) \(row.defect)/\(row.stem): \(String(format: "%.4f", row.objectScore)) (\(label))"
        var out = "<figure>"
        if FileManager.default.fileExists(atPath: directory.appendingPathComponent(path).path) {
            out += "<a href=\"\(HTMLPage.link(path))\"><img src=\"\(HTMLPage.link(path))\" alt=\"\(e(caption))\" width=\"360\" loading=\"lazy\" /></a>"
        }
        return out + "<figcaption>\(e(caption))<br />\(e(row.path))</figcaption></figure>\n"
    }
}
