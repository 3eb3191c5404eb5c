import Foundation
import PointADSupport

/// A cloud of a batch that could not be scored, and why (in plain words, naming the file).
public struct ScoreFailure: Sendable, Codable, Equatable {
    public var file: String
    public var error: String

    public init(file: String, error: String) {
        self.file = file
        self.error = error
    }
}

/// What a batch produced for one input: a summary, or a failure. In the JSON array of
/// `score --json` a failure is `{"file": …, "error": …}` beside the summaries.
public enum ScoreOutcome: Sendable, Encodable {
    case scored(DetectionSummary)
    case failed(ScoreFailure)

    public var file: String {
        switch self {
        case .scored(let s): return s.file
        case .failed(let f): return f.file
        }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .scored(let s): try s.encode(to: encoder)
        case .failed(let f): try f.encode(to: encoder)
        }
    }

    public static func json(_ outcomes: [ScoreOutcome]) throws -> Data { try DetectionSummary.encoder.encode(outcomes) }
}

/// `summary.csv` of a batch written with `--out`: one row per input, scored or failed, so a
/// spreadsheet or a line-control script sees every part and every error in one place.
public enum ScoreSummaryTable {
    public static let header = ["file", "status", "object_score", "anomalous", "threshold", "point_score_max", "defect_points", "outputs", "error"]

    public static func csv(_ outcomes: [ScoreOutcome]) -> String {
        var lines = [header.joined(separator: ",")]
        for outcome in outcomes {
            let row: [String]
            switch outcome {
            case .scored(let s):
                row = [s.file, "scored", format(s.objectScore), s.anomalous.map { $0 ? "true" : "false" } ?? "",
                       s.threshold.map(format) ?? "", format(s.pointScoreMaximum), s.defectPoints.map(String.init) ?? "",
                       s.outputs.first(where: { $0.hasSuffix(".json") }) ?? "", ""]
            case .failed(let f):
                row = [f.file, "error", "", "", "", "", "", "", f.error]
            }
            lines.append(row.map(quote).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func format(_ value: Float) -> String { String(format: "%.6g", Double(value)) }

    /// RFC 4180 quoting: fields with a comma, quote or line break are quoted, quotes doubled.
    static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
