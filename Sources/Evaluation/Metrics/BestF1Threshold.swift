import Foundation

/// The object-score threshold with the best F1 on labelled samples (anomalous = score above
/// the threshold, as `score --threshold` decides), with the precision and recall it gives.
/// Candidates lie halfway between consecutive distinct scores, plus one just below the lowest
/// (everything flagged), so the threshold separates the samples rather than sitting on one.
/// Ties in F1 go to the higher threshold (fewer alarms).
public struct BestF1Threshold: Sendable, Codable, Equatable {
    public var threshold: Float
    public var f1: Double
    public var precision: Double
    public var recall: Double

    /// Nil without both a normal and an anomalous sample.
    public static func find(scores: [Float], labels: [Int]) -> BestF1Threshold? {
        let pairs = zip(scores, labels).sorted { $0.0 > $1.0 }
        let positives = labels.filter { $0 != 0 }.count
        guard positives > 0, positives < labels.count else { return nil }
        var best: BestF1Threshold?
        var truePositives = 0, flagged = 0
        var i = 0
        // Walk from the highest score down: after each group of equal scores, every sample so far is flagged.
        while i < pairs.count {
            let value = pairs[i].0
            while i < pairs.count && pairs[i].0 == value {
                flagged += 1
                if pairs[i].1 != 0 { truePositives += 1 }
                i += 1
            }
            let threshold = i < pairs.count ? (value + pairs[i].0) / 2 : value.nextDown
            let precision = Double(truePositives) / Double(flagged)
            let recall = Double(truePositives) / Double(positives)
            let f1 = truePositives == 0 ? 0 : 2 * precision * recall / (precision + recall)
            if best == nil || f1 > best!.f1 {
                best = BestF1Threshold(threshold: threshold, f1: f1, precision: precision, recall: recall)
            }
        }
        return best
    }
}

extension BestF1Threshold {
    /// Per class of `report`, in its order: the best-F1 threshold, or nil where undefined.
    public static func perClass(_ report: EvaluationReport) -> [(className: String, best: BestF1Threshold?)] {
        report.classes.map { c in
            let rows = report.samples.filter { $0.className == c.className && $0.label != nil }
            return (c.className, find(scores: rows.map(\.objectScore), labels: rows.map { $0.label! }))
        }
    }

    /// `thresholds.json`: per class, the threshold, F1, precision and recall (null where a class
    /// lacks normal or anomalous samples).
    public static func json(_ perClass: [(className: String, best: BestF1Threshold?)]) throws -> Data {
        var object: [String: Any] = ["rule": "anomalous when the object score is above the threshold; the threshold of best F1 on this run's samples (optimistic: chosen on the test data)"]
        var classes: [String: Any] = [:]
        for (name, best) in perClass {
            classes[name] = best.map { ["threshold": Double($0.threshold), "f1": $0.f1, "precision": $0.precision, "recall": $0.recall] } ?? NSNull()
        }
        object["classes"] = classes
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }
}
