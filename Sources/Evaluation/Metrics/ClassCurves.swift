/// The curves behind a class's metrics, for pictures (`report.html`): object-level and
/// point-level ROC, and MVTec's PRO curve. Each is thinned to at most `maximumPoints` vertices,
/// which is invisible at plot size and keeps a 64 M-point class's curve small.
public struct ClassCurves: Sendable, Equatable {
    /// (false-positive rate, true-positive rate) from (0, 0) to (1, 1).
    public var objectROC: [SIMD2<Double>] = []
    public var pointROC: [SIMD2<Double>] = []
    /// (false-positive rate, per-region overlap) in increasing FPR; empty without regions.
    public var pro: [SIMD2<Double>] = []

    public static let maximumPoints = 400

    public init(objectROC: [SIMD2<Double>] = [], pointROC: [SIMD2<Double>] = [], pro: [SIMD2<Double>] = []) {
        self.objectROC = objectROC
        self.pointROC = pointROC
        self.pro = pro
    }

    /// Keeps the first, the last and evenly spaced vertices in between.
    static func thinned(_ curve: [SIMD2<Double>]) -> [SIMD2<Double>] {
        guard curve.count > maximumPoints else { return curve }
        let step = Double(curve.count - 1) / Double(maximumPoints - 1)
        return (0..<maximumPoints).map { curve[Int((Double($0) * step).rounded())] }
    }
}

extension ScoreRanking {
    /// The ROC curve, one vertex per distinct score from the highest down (as scikit-learn's
    /// `roc_curve` with `drop_intermediate=False`), starting at (0, 0); empty when a class of labels
    /// is absent.
    public var rocCurve: [SIMD2<Double>] {
        guard positives > 0 && negatives > 0 else { return [] }
        var curve = [SIMD2<Double>(0, 0)]
        curve.reserveCapacity(groupPositives.count + 1)
        var tp = 0, fp = 0
        for g in 0..<groupPositives.count {
            tp += groupPositives[g]
            fp += groupNegatives[g]
            curve.append(SIMD2(Double(fp) / Double(negatives), Double(tp) / Double(positives)))
        }
        return curve
    }
}

extension AUPRO.Curve {
    var vertices: [SIMD2<Double>] { zip(falsePositiveRates, overlaps).map { SIMD2($0, $1) } }
}
