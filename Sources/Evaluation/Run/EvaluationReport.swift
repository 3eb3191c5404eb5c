/// The outcome of an evaluation: per-class metrics, their mean, one row per scored sample, and the
/// samples that failed.
public struct EvaluationReport: Sendable {
    public var dataset: DatasetKind
    public var split: String
    public var classes: [ClassMetrics]
    public var samples: [Row]
    public var failures: [SampleFailure]
    /// Which cells the point-level metrics pooled (always `points` for unorganised datasets).
    public var evaluationProtocol: EvaluationProtocol = .points

    /// The AU-PRO the papers' table shows under this protocol: PointAD's variant for `pointad`,
    /// MVTec's official one otherwise.
    public func reportedAUPRO(_ m: ClassMetrics) -> Double? {
        evaluationProtocol == .pointad ? m.auproPointAD : m.aupro
    }

    /// One line of samples.csv.
    public struct Row: Sendable, Equatable {
        public var className: String
        public var split: String
        public var defect: String
        public var stem: String
        public var objectScore: Float
        public var label: Int?
        /// The sample's input file (its points), as the walk found it.
        public var path: String = ""
        /// The highest of its per-point scores (input points), nil when it has none.
        public var maxPointScore: Float? = nil
    }

    /// Each row's rank within its class by object score, 1 = highest (ties keep walk order).
    public var ranks: [Int] {
        var ranks = [Int](repeating: 0, count: samples.count)
        for members in Dictionary(grouping: samples.indices, by: { samples[$0].className }).values {
            let ordered = members.sorted { samples[$0].objectScore != samples[$1].objectScore ? samples[$0].objectScore > samples[$1].objectScore : $0 < $1 }
            for (rank, index) in ordered.enumerated() { ranks[index] = rank + 1 }
        }
        return ranks
    }

    /// Unweighted mean over the classes where each metric is defined (as the papers' "mean" column),
    /// with counts summed.
    public var mean: ClassMetrics {
        var m = ClassMetrics(className: "mean")
        func average(_ value: (ClassMetrics) -> Double?) -> Double? {
            let values = classes.compactMap(value)
            return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
        }
        m.objectAUROC = average(\.objectAUROC)
        m.objectAP = average(\.objectAP)
        m.pointAUROC = average(\.pointAUROC)
        m.pointAP = average(\.pointAP)
        m.aupro = average(\.aupro)
        m.auproPointAD = average(\.auproPointAD)
        for c in classes {
            m.samples += c.samples; m.anomalous += c.anomalous; m.normal += c.normal; m.unlabeled += c.unlabeled
            m.failed += c.failed; m.points += c.points; m.anomalousPoints += c.anomalousPoints
        }
        return m
    }
}
