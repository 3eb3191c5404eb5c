import PointADSupport

/// Area under the per-region-overlap (PRO) curve up to a false-positive-rate limit, in the two
/// flavours papers use. Both take pooled per-point scores of a whole class and, per point, the id
/// of the defect region it belongs to (0 = defect-free; ids are unique across the class, see
/// `ConnectedRegions`). Regions are what make PRO differ from pixel recall: each defect counts once,
/// however large.
public enum AUPRO {
    /// Which algorithm produced an AU-PRO figure (they give close but different numbers).
    public enum Flavour: String, Sendable, Codable {
        /// MVTec's official evaluator (`pro_curve_util.py`, also 3D-ADS/M3DM `au_pro_util.py`).
        case mvtec
        /// PointAD / AnomalyCLIP `metrics.py` `cal_pro_score` (originally cflow-ad).
        case pointAD = "pointad"
    }

    /// A PRO curve in increasing false-positive-rate order.
    public struct Curve: Sendable, Equatable {
        public let falsePositiveRates: [Double]
        public let overlaps: [Double]
    }

    /// MVTec's official AU-PRO: `num_thresholds` thresholds at evenly spaced ranks of the sorted
    /// defect-free scores, FPR by rank, the curve integrated to `limit` (interpolating the last piece)
    /// and divided by `limit`. Nil when there is no defect region or no defect-free point.
    public static func mvtec(scores: [Float], regions: [Int32], limit: Double = 0.3, thresholds: Int = 100) throws -> Double? {
        guard limit > 0 && limit <= 1 else { throw UsageError("AU-PRO limit must be in (0, 1], got \(limit)") }
        guard let curve = try mvtecCurve(scores: scores, regions: regions, thresholds: thresholds) else { return nil }
        return Trapezoid.mvtec(x: curve.falsePositiveRates, y: curve.overlaps, xMax: limit) / limit
    }

    /// The PRO curve of MVTec's `compute_pro`, points (1, 1) included.
    public static func mvtecCurve(scores: [Float], regions: [Int32], thresholds: Int = 100) throws -> Curve? {
        guard thresholds > 1 else { throw UsageError("AU-PRO needs more than one threshold, got \(thresholds)") }
        return curve(try RegionSplit(scores: scores, regions: regions), thresholds: thresholds)
    }

    static func mvtec(_ split: RegionSplit, limit: Double = 0.3, thresholds: Int = 100) -> Double? {
        guard let curve = curve(split, thresholds: thresholds) else { return nil }
        return Trapezoid.mvtec(x: curve.falsePositiveRates, y: curve.overlaps, xMax: limit) / limit
    }

    static func curve(_ split: RegionSplit, thresholds: Int) -> Curve? {
        let ok = split.defectFree
        guard !ok.isEmpty && !split.regions.isEmpty else { return nil }
        let n = ok.count
        // numpy.linspace(0, N-1, num, dtype=int): float positions k·step, last exactly N-1, floored.
        let step = Double(n - 1) / Double(thresholds - 1)
        var fprs = [1.0], pros = [1.0]
        var consumed = [Int](repeating: 0, count: split.regions.count)
        for k in 0..<thresholds {
            let position = k == thresholds - 1 ? n - 1 : Int((Double(k) * step).rounded(.down))
            let threshold = ok[position]
            var pro = 0.0
            for (r, region) in split.regions.enumerated() {
                var index = consumed[r]
                while index < region.count && region[index] <= threshold { index += 1 }
                consumed[r] = index
                pro += 1.0 - Double(index) / Double(region.count)
            }
            fprs.append(1.0 - Double(position + 1) / Double(n))
            pros.append(pro / Double(split.regions.count))
        }
        return Curve(falsePositiveRates: fprs.reversed(), overlaps: pros.reversed())
    }

    /// PointAD's `cal_pro_score(masks, amaps, max_step=200, expect_fpr=0.3)`: `steps` equally spaced
    /// thresholds from the lowest to (excluding) the highest score (numpy `arange`), a point is
    /// detected when its score is above the threshold, FPR counted exactly, points with FPR below
    /// `expectedFPR` kept, their FPRs min–max rescaled to [0, 1], trapezoid area. Nil when undefined
    /// (no region, all scores equal, fewer than two points kept).
    public static func pointAD(scores: [Float], regions: [Int32], expectedFPR: Double = 0.3, steps: Int = 200) throws -> Double? {
        guard steps > 0 else { throw UsageError("AU-PRO needs at least one step, got \(steps)") }
        return pointAD(try RegionSplit(scores: scores, regions: regions), expectedFPR: expectedFPR, steps: steps)
    }

    static func pointAD(_ split: RegionSplit, expectedFPR: Double = 0.3, steps: Int = 200) -> Double? {
        let ok = split.defectFree
        guard !ok.isEmpty && !split.regions.isEmpty else { return nil }
        // Every list is sorted, so the extremes are at the ends.
        var low = Double(ok[0]), high = Double(ok[ok.count - 1])
        for region in split.regions { low = min(low, Double(region[0])); high = max(high, Double(region[region.count - 1])) }
        let delta = (high - low) / Double(steps)
        guard delta > 0 else { return nil }
        // numpy arange: length ceil((stop-start)/step); values start, start+step, then start + i·(second − start).
        let length = Int(((high - low) / delta).rounded(.up))
        let second = low + delta, stride = second - low
        var fprs: [Double] = [], pros: [Double] = []
        for i in 0..<length {
            let threshold = i == 0 ? low : i == 1 ? second : low + Double(i) * stride
            let fpr = Double(ok.count - countAtMost(ok, threshold)) / Double(ok.count)
            guard fpr < expectedFPR else { continue }
            var pro = 0.0
            for region in split.regions { pro += Double(region.count - countAtMost(region, threshold)) / Double(region.count) }
            fprs.append(fpr)
            pros.append(pro / Double(split.regions.count))
        }
        guard let lo = fprs.min(), let hi = fprs.max(), hi > lo else { return nil }
        return Trapezoid.sklearnAUC(x: fprs.map { ($0 - lo) / (hi - lo) }, y: pros)
    }

    /// Number of values ≤ `threshold` in an ascending array, compared in double precision.
    static func countAtMost(_ sorted: [Float], _ threshold: Double) -> Int {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Double(sorted[mid]) <= threshold { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

/// Scores separated into the sorted defect-free ones and the sorted scores of each region (in
/// ascending id order; ids without points are skipped).
struct RegionSplit: Sendable {
    let defectFree: [Float]
    let regions: [[Float]]

    init(scores: [Float], regions ids: [Int32]) throws {
        guard scores.count == ids.count else {
            throw UsageError("AU-PRO: \(scores.count) scores but \(ids.count) region ids")
        }
        var maxId: Int32 = 0
        for (i, id) in ids.enumerated() {
            guard id >= 0 else { throw UsageError("AU-PRO: region id \(id) at point \(i) is negative") }
            guard scores[i].isFinite else { throw UsageError("AU-PRO: score \(i) is \(scores[i]), scores must be finite") }
            maxId = max(maxId, id)
        }
        guard Int(maxId) <= ids.count else {
            throw UsageError("AU-PRO: region id \(maxId) exceeds the point count \(ids.count)")
        }
        var buckets = [[Float]](repeating: [], count: Int(maxId) + 1)
        var ok: [Float] = []
        ok.reserveCapacity(scores.count)
        for i in 0..<scores.count {
            if ids[i] == 0 { ok.append(scores[i]) } else { buckets[Int(ids[i])].append(scores[i]) }
        }
        defectFree = SortKeys.sorted(ok)
        self.regions = Self.sortedRegions(buckets)
    }

    /// The split when the defect-free scores are already sorted (the pooled ranking's negatives):
    /// only the defect points are bucketed. The caller guarantees region 0 ⇔ negative.
    init(sortedDefectFree: [Float], scores: [Float], regions ids: [Int32], regionCount: Int) {
        var buckets = [[Float]](repeating: [], count: regionCount + 1)
        for i in 0..<scores.count where ids[i] != 0 { buckets[Int(ids[i])].append(scores[i]) }
        defectFree = sortedDefectFree
        regions = Self.sortedRegions(buckets)
    }

    private static func sortedRegions(_ buckets: [[Float]]) -> [[Float]] {
        buckets.dropFirst().filter { !$0.isEmpty }.map { $0.count > 4096 ? SortKeys.sorted($0) : $0.sorted() }
    }
}
