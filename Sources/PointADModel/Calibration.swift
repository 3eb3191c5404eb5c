import Foundation
import PointADSupport

/// Thresholds picked from known-good parts (`pointad calibrate`), read back by `score --calibration`.
///
/// The rule, for a chosen false-alarm rate α and n good scores sorted from highest, s₁ ≥ … ≥ sₙ:
/// the threshold is s₍m+1₎ with m = ⌊α·n⌋, and a part is anomalous when its score is above it.
/// So at most m of the good parts (a fraction ≤ α) would have been flagged, and with α·n < 1 the
/// threshold is the highest good score. The point threshold is the same rule over the point
/// scores of all good parts pooled, with its own rate.
public struct Calibration: Sendable, Codable, Equatable {
    public static let format = "pointad-calibration"

    public var format = Calibration.format
    public var rule: String
    public var objectThreshold: Float
    public var pointThreshold: Float
    public var falseAlarmRate: Double
    public var pointFalseAlarmRate: Double
    public var goodParts: Int
    public var goodPoints: Int
    /// The good parts' object scores, lowest and highest (the spread the threshold sits in).
    public var goodScoreMinimum: Float
    public var goodScoreMaximum: Float
    public var goodFiles: [String]
    /// Model, prompts and settings the thresholds hold for: scores of another model mean nothing here.
    public var run: ScoreProvenance?

    public static let ruleText = "threshold = the (floor(rate*n)+1)-th highest score of the n good samples; anomalous when above it"

    /// The threshold of the rule above over `scores` (not empty).
    public static func threshold(_ scores: [Float], falseAlarmRate rate: Double) throws -> Float {
        guard !scores.isEmpty else { throw UsageError("calibration needs at least one good score") }
        guard rate >= 0 && rate < 1 else { throw UsageError("the false-alarm rate must be in [0, 1), got \(rate)") }
        let sorted = scores.sorted(by: >)
        let allowed = Int((rate * Double(sorted.count)).rounded(.down))
        return sorted[min(allowed, sorted.count - 1)]
    }

    public init(goodFiles: [String], objectScores: [Float], pointScores: [Float], falseAlarmRate: Double,
                pointFalseAlarmRate: Double, run: ScoreProvenance?) throws {
        guard objectScores.count == goodFiles.count else {
            throw UsageError("calibration: \(objectScores.count) scores for \(goodFiles.count) files")
        }
        if let bad = (objectScores + pointScores).first(where: { !$0.isFinite }) {
            throw UsageError("calibration: a good part has a non-finite score (\(bad))")
        }
        rule = Self.ruleText
        objectThreshold = try Self.threshold(objectScores, falseAlarmRate: falseAlarmRate)
        pointThreshold = try Self.threshold(pointScores, falseAlarmRate: pointFalseAlarmRate)
        self.falseAlarmRate = falseAlarmRate
        self.pointFalseAlarmRate = pointFalseAlarmRate
        goodParts = objectScores.count
        goodPoints = pointScores.count
        goodScoreMinimum = objectScores.min()!
        goodScoreMaximum = objectScores.max()!
        self.goodFiles = goodFiles
        self.run = run
    }

    public var thresholds: DecisionThresholds { DecisionThresholds(object: objectThreshold, point: pointThreshold, source: "calibration") }

    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(self), to: url)
    }

    /// Reads a calibration file, refusing anything else with the file named.
    public static func read(_ url: URL) throws -> Calibration {
        guard let data = FileManager.default.contents(atPath: url.path) else { throw FileError(url.path, "cannot read the calibration file") }
        let calibration: Calibration
        do { calibration = try JSONDecoder().decode(Calibration.self, from: data) } catch {
            throw FileError(url.path, "not a calibration file written by `pointad calibrate` (\(Self.describe(error)))")
        }
        guard calibration.format == format else { throw FileError(url.path, "format is '\(calibration.format)', expected '\(format)'") }
        guard calibration.objectThreshold.isFinite, calibration.pointThreshold.isFinite else {
            throw FileError(url.path, "holds a non-finite threshold")
        }
        return calibration
    }

    /// The reasons a calibration made with `other` settings does not apply to this run (empty: it applies).
    public func mismatches(with current: ScoreProvenance) -> [String] {
        guard let run else { return [] }
        var out: [String] = []
        if run.model != current.model { out.append("model \(run.model) (this run: \(current.model))") }
        if run.prompts != current.prompts { out.append("prompts \(run.prompts) (this run: \(current.prompts))") }
        if run.method != current.method { out.append("method \(run.method) (this run: \(current.method))") }
        if let was = run.preprocess, let now = current.preprocess, was != now { out.append("preprocess \(was) (this run: \(now))") }
        if run.layers != current.layers { out.append("layers \(run.layers) (this run: \(current.layers))") }
        return out
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong value at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        case DecodingError.dataCorrupted: return "not valid JSON"
        default: return "\(error)"
        }
    }
}
