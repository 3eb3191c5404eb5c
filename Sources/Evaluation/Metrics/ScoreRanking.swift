import PointADSupport

/// Binary scores ranked once, from which AUROC and average precision follow with scikit-learn's
/// semantics: tied scores form one threshold (so a tied positive/negative pair gets half credit in
/// AUROC), and AP is the step-wise Σ (Rₖ − Rₖ₋₁)·Pₖ over distinct thresholds, not interpolated.
///
/// Sorting is a radix sort on the float bits, so 10 M scores rank in a fraction of a second.
public struct ScoreRanking: Sendable {
    /// Number of samples with a nonzero label, and with label 0.
    public let positives: Int
    public let negatives: Int
    /// Per distinct score, from the highest score down: how many positives and negatives share it.
    let groupPositives: [Int]
    let groupNegatives: [Int]
    /// The negatives' scores in ascending order, when asked for (AU-PRO reuses this sort).
    let sortedNegatives: [Float]?

    /// Ranks `scores`; `labels[i] != 0` marks sample i as positive (anomalous).
    /// - Throws: `UsageError` when the counts differ or a score is NaN or infinite (scikit-learn
    ///   rejects those too).
    public init(scores: [Float], labels: [UInt8]) throws {
        try self.init(scores: scores, labels: labels, keepingNegatives: false)
    }

    init(scores: [Float], labels: [UInt8], keepingNegatives: Bool) throws {
        guard scores.count == labels.count else {
            throw UsageError("metrics: \(scores.count) scores but \(labels.count) labels")
        }
        let n = scores.count
        var packed = [UInt64](repeating: 0, count: n)
        var badIndex = -1
        scores.withUnsafeBufferPointer { s in
            labels.withUnsafeBufferPointer { l in
                packed.withUnsafeMutableBufferPointer { p in
                    for i in 0..<n {
                        if !s[i].isFinite { badIndex = i; return }
                        p[i] = UInt64(SortKeys.key(s[i])) &<< 1 | (l[i] != 0 ? 1 : 0)
                    }
                }
            }
        }
        if badIndex >= 0 { throw UsageError("metrics: score \(badIndex) is \(scores[badIndex]), scores must be finite") }
        SortKeys.radixSort(&packed, bits: 33)
        var gp: [Int] = [], gn: [Int] = []
        var totalP = 0
        var ascendingNegatives: [Float] = []
        if keepingNegatives {
            ascendingNegatives.reserveCapacity(n)
            packed.withUnsafeBufferPointer { p in
                for v in p where v & 1 == 0 { ascendingNegatives.append(SortKeys.value(UInt32(truncatingIfNeeded: v &>> 1))) }
            }
        }
        sortedNegatives = keepingNegatives ? ascendingNegatives : nil
        packed.withUnsafeBufferPointer { p in
            var i = n - 1
            while i >= 0 {
                let key = p[i] &>> 1
                var pos = 0, count = 0
                while i >= 0 && p[i] &>> 1 == key {
                    pos &+= Int(p[i] & 1)
                    count &+= 1
                    i -= 1
                }
                gp.append(pos)
                gn.append(count - pos)
                totalP += pos
            }
        }
        positives = totalP
        negatives = n - totalP
        groupPositives = gp
        groupNegatives = gn
    }

    /// Area under the ROC curve, equal to `sklearn.metrics.roc_auc_score`; nil when only one class
    /// is present (scikit-learn warns and returns NaN there).
    public var auroc: Double? {
        guard positives > 0 && negatives > 0 else { return nil }
        // Mann–Whitney: count the positives ranked above each negative, ties counting half.
        var area = 0.0
        var positivesAbove = 0
        for g in 0..<groupPositives.count {
            let p = groupPositives[g], n = groupNegatives[g]
            area += Double(n) * (Double(positivesAbove) + 0.5 * Double(p))
            positivesAbove += p
        }
        return area / (Double(positives) * Double(negatives))
    }

    /// Average precision, equal to `sklearn.metrics.average_precision_score`; nil when there is no
    /// positive (scikit-learn warns and returns 0 there, which means nothing).
    public var averagePrecision: Double? {
        guard positives > 0 else { return nil }
        var truePositives = 0, predicted = 0
        var sum = 0.0
        for g in 0..<groupPositives.count {
            let p = groupPositives[g]
            truePositives += p
            predicted += p + groupNegatives[g]
            if p > 0 { sum += Double(p) / Double(positives) * (Double(truePositives) / Double(predicted)) }
        }
        return sum
    }
}
