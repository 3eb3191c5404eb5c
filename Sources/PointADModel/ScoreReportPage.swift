import Foundation
import PointADSupport

/// `report.html` of a `pointad score --out DIR` run: the clouds ranked by object score (highest
/// first) with their scores and decisions, then each cloud's sheet and organised-scan pictures,
/// linked relatively to the PNGs beside the page. Written atomically.
public enum ScoreReportPage {
    public static let fileName = "report.html"

    /// One cloud's line of the page, read from its summary's JSON so that fields other versions add
    /// (a threshold's `anomalous` / `threshold`) show when present and are simply absent otherwise.
    struct Entry {
        var file: String
        var objectScore: Double
        var maxPointScore: Double?
        var points: Int?
        var method: String?
        var anomalous: Bool?
        var threshold: Double?
        var outputs: [String]
        var randomWeights: Bool

        init(_ summary: DetectionSummary) throws {
            let object = try JSONSerialization.jsonObject(with: summary.json()) as? [String: Any] ?? [:]
            file = summary.file
            objectScore = Double(summary.objectScore)
            maxPointScore = (object["pointScoreMaximum"] as? NSNumber)?.doubleValue
            points = (object["points"] as? NSNumber)?.intValue
            method = object["method"] as? String
            anomalous = object["anomalous"] as? Bool
            threshold = (object["threshold"] as? NSNumber)?.doubleValue
            outputs = summary.outputs
            randomWeights = summary.randomWeights
        }
    }

    public static func write(_ summaries: [DetectionSummary], to directory: URL) throws {
        try AtomicFile.write(Data(html(summaries).utf8), to: directory.appendingPathComponent(fileName))
    }

    public static func html(_ summaries: [DetectionSummary]) throws -> String {
        let entries = try summaries.map(Entry.init).enumerated().sorted {
            $0.element.objectScore != $1.element.objectScore ? $0.element.objectScore > $1.element.objectScore : $0.offset < $1.offset
        }.map(\.element)
        let e = HTMLPage.escape
        func number(_ v: Double?) -> String { v.map { String(format: "%.4f", $0) } ?? "–" }
        func decision(_ entry: Entry) -> String {
            guard let anomalous = entry.anomalous else { return "–" }
            let threshold = entry.threshold.map { " (&gt; \(number($0)))" } ?? ""
            return anomalous ? "<span class=\"anomalous\">anomalous</span>\(threshold)" : "normal\(threshold)"
        }
        var body = "<h1>pointad score: \(entries.count) cloud\(entries.count == 1 ? "" : "s")</h1>\n"
        if entries.contains(where: \.randomWeights) {
            body += "<p class=\"warning\">\(e(ModelFolder.randomWeightsWarning))</p>\n"
        }
        body += "<p class=\"note\">Ranked by object score (0…1), highest first. Pictures: each view with the final per-point "
            + "scores painted in (jet colour map, fixed 0–1 scale, colour bar on each sheet); magenta outlines mark ground truth "
            + "when the cloud carries labels. pointad \(e(PointADVersion.string)).</p>\n"
        body += "<table>\n<tr><th>rank</th><th class=\"name\">file</th><th>object score</th><th>max point score</th><th>points</th><th>decision</th></tr>\n"
        for (rank, entry) in entries.enumerated() {
            body += "<tr><td>\(rank + 1)</td><td class=\"name\"><a href=\"#cloud\(rank + 1)\">\(e(entry.file))</a></td>"
                + "<td>\(number(entry.objectScore))</td><td>\(number(entry.maxPointScore))</td><td>\(entry.points.map(String.init) ?? "–")</td>"
                + "<td>\(decision(entry))</td></tr>\n"
        }
        body += "</table>\n"
        for (rank, entry) in entries.enumerated() {
            body += "<h2 id=\"cloud\(rank + 1)\">\(rank + 1). \(e(entry.file))</h2>\n"
            body += "<p>object score \(number(entry.objectScore)), max point score \(number(entry.maxPointScore)), decision \(decision(entry))"
                + (entry.method.map { ", method \(e($0))" } ?? "") + "</p>\n"
            if let sheet = entry.outputs.first(where: { $0.hasSuffix("_overlays.png") }) {
                body += "<a href=\"\(HTMLPage.link(sheet))\"><img class=\"sheet\" src=\"\(HTMLPage.link(sheet))\" alt=\"views of \(e(entry.file))\" /></a>\n"
            }
            for (suffix, caption) in [("_map.png", "anomaly map on the scan's grid"), ("_rgb_overlay.png", "scores over the RGB image"),
                                      ("_renders.png", "the plain renders")] {
                guard let name = entry.outputs.first(where: { $0.hasSuffix(suffix) }) else { continue }
                body += "<figure><a href=\"\(HTMLPage.link(name))\"><img src=\"\(HTMLPage.link(name))\" alt=\"\(e(caption))\" width=\"320\" /></a>"
                    + "<figcaption>\(e(caption))</figcaption></figure>\n"
            }
            let files = entry.outputs.filter { $0.hasSuffix(".ply") || $0.hasSuffix(".json") }
            if !files.isEmpty {
                body += "<p class=\"note\">files: " + files.map { "<a href=\"\(HTMLPage.link($0))\">\(e($0))</a>" }.joined(separator: ", ") + "</p>\n"
            }
        }
        return HTMLPage.document(title: "pointad score report", body: body)
    }
}
