import PointADSupport

/// The metrics of one class, as papers report them, plus the counts behind them. Every value is a
/// fraction in [0, 1], nil where undefined (one class of labels absent, no regions).
public struct ClassMetrics: Sendable, Equatable {
    public var className: String
    /// Object level: scikit-learn AUROC and AP of the object scores.
    public var objectAUROC: Double?
    public var objectAP: Double?
    /// Point level, pooled over all points of all samples of the class.
    public var pointAUROC: Double?
    public var pointAP: Double?
    /// AU-PRO at FPR 0.3: MVTec's official algorithm, and PointAD's variant.
    public var aupro: Double?
    public var auproPointAD: Double?
    public var samples = 0, anomalous = 0, normal = 0, unlabeled = 0, failed = 0
    public var points = 0, anomalousPoints = 0
    /// The ROC and PRO curves behind the values (thinned, for pictures); nil for the mean.
    public var curves: ClassCurves?

    public init(className: String) { self.className = className }

    /// Computes the metrics of `samples` (one class). Point metrics pool the samples that carry point
    /// labels; AU-PRO needs every such sample to carry regions.
    public static func compute(className: String, samples: [ScoredSample], failed: Int = 0) throws -> ClassMetrics {
        var m = ClassMetrics(className: className)
        m.samples = samples.count
        m.failed = failed
        var objectScores: [Float] = [], objectLabels: [UInt8] = []
        for s in samples {
            guard let label = s.label else { m.unlabeled += 1; continue }
            if label != 0 { m.anomalous += 1 } else { m.normal += 1 }
            objectScores.append(s.objectScore)
            objectLabels.append(label != 0 ? 1 : 0)
        }
        let objects = try ScoreRanking(scores: objectScores, labels: objectLabels)
        m.objectAUROC = objects.auroc
        m.objectAP = objects.averagePrecision
        m.curves = ClassCurves(objectROC: ClassCurves.thinned(objects.rocCurve))

        let labelled = samples.filter { !$0.pointLabels.isEmpty }
        let total = labelled.reduce(0) { $0 + $1.pointScores.count }
        guard total > 0 else { return m }
        var scores = [Float](), labels = [UInt8]()
        scores.reserveCapacity(total)
        labels.reserveCapacity(total)
        let withRegions = labelled.allSatisfy { $0.regions != nil }
        var regions = [Int32]()
        if withRegions { regions.reserveCapacity(total) }
        var regionOffset: Int32 = 0
        for s in labelled {
            guard s.pointLabels.count == s.pointScores.count else {
                throw UsageError("\(s.sample.points): \(s.pointScores.count) scores but \(s.pointLabels.count) point labels")
            }
            scores += s.pointScores
            labels += s.pointLabels
            if withRegions, let r = s.regions {
                var highest: Int32 = 0
                for id in r {
                    guard id >= 0 && Int(id) <= r.count else { throw UsageError("\(s.sample.points): region id \(id) outside 0…\(r.count)") }
                    regions.append(id == 0 ? 0 : id &+ regionOffset)
                    highest = max(highest, id)
                }
                regionOffset &+= highest
            }
        }
        m.points = total
        m.anomalousPoints = labels.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }

        // One sort serves both: the ranking keeps its negatives in order, and when the regions mark
        // exactly the positive points (as gt masks do) AU-PRO reads its defect-free scores from there.
        var consistent = withRegions
        if withRegions {
            for i in 0..<total where (labels[i] == 0) != (regions[i] == 0) { consistent = false; break }
        }
        let points = try ScoreRanking(scores: scores, labels: labels, keepingNegatives: consistent)
        m.pointAUROC = points.auroc
        m.pointAP = points.averagePrecision
        m.curves?.pointROC = ClassCurves.thinned(points.rocCurve)
        if withRegions {
            let split = try consistent
                ? RegionSplit(sortedDefectFree: points.sortedNegatives!, scores: scores, regions: regions, regionCount: Int(regionOffset))
                : RegionSplit(scores: scores, regions: regions)
            m.aupro = AUPRO.mvtec(split)
            m.auproPointAD = AUPRO.pointAD(split)
            m.curves?.pro = ClassCurves.thinned(AUPRO.curve(split, thresholds: 100)?.vertices ?? [])
        }
        return m
    }
}
