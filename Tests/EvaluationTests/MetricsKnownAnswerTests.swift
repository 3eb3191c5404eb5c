import Testing
@testable import Evaluation

// Known answers printed by scikit-learn 1.9.1 and by 3D-ADS's au_pro_util (datasets.md §1.4, §6.1):
// tiny inputs where ties and 8-connectivity decide the result.
@Suite("Metrics known answers")
struct MetricsKnownAnswerTests {
    @Test("scikit-learn AUROC/AP table", arguments: [
        ([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1], 0.75, 0.833333333333),
        ([0.5, 0.5, 0.2, 0.9], [0, 1, 0, 1], 0.875, 0.833333333333),
        ([0.5, 0.5], [0, 1], 0.5, 0.5),
        ([0.5, 0.5], [1, 0], 0.5, 0.5),
        ([0.3, 0.3, 0.3, 0.3, 0.3], [0, 1, 0, 1, 1], 0.5, 0.6),
        ([0.9, 0.8, 0.8, 0.8, 0.1], [1, 0, 1, 1, 0], 0.833333333333, 0.833333333333),
    ] as [([Float], [UInt8], Double, Double)])
    func sklearnTable(scores: [Float], labels: [UInt8], auroc: Double, ap: Double) throws {
        let r = try ScoreRanking(scores: scores, labels: labels)
        #expect(abs(try #require(r.auroc) - auroc) < 1e-9)
        #expect(abs(try #require(r.averagePrecision) - ap) < 1e-9)
    }

    @Test("Single-class input is undefined, not a crash")
    func singleClass() throws {
        let negatives = try ScoreRanking(scores: [0.1, 0.2, 0.2], labels: [0, 0, 0])
        #expect(negatives.auroc == nil)
        #expect(negatives.averagePrecision == nil)
        let positives = try ScoreRanking(scores: [0.1, 0.2], labels: [1, 1])
        #expect(positives.auroc == nil)
        #expect(positives.averagePrecision == 1.0)
        let empty = try ScoreRanking(scores: [], labels: [])
        #expect(empty.auroc == nil)
    }

    @Test("NaN scores and length mismatches are rejected with a message")
    func badInput() {
        #expect(throws: (any Error).self) { try ScoreRanking(scores: [0.1, .nan], labels: [0, 1]) }
        #expect(throws: (any Error).self) { try ScoreRanking(scores: [0.1], labels: [0, 1]) }
        #expect(throws: (any Error).self) { try AUPRO.mvtec(scores: [0.1], regions: [-1]) }
    }

    @Test("1-D MVTec PRO curve and areas (nt = 4)")
    func oneDimensional() throws {
        let scores: [Float] = [0.1, 0.2, 0.3, 0.4, 0.35, 0.9]
        let regions: [Int32] = [0, 0, 0, 0, 1, 1]
        let curve = try #require(try AUPRO.mvtecCurve(scores: scores, regions: regions, thresholds: 4))
        #expect(curve.falsePositiveRates == [0, 0.25, 0.5, 0.75, 1])
        #expect(curve.overlaps == [0.5, 1, 1, 1, 1])
        #expect(abs(try #require(try AUPRO.mvtec(scores: scores, regions: regions, thresholds: 4)) - 0.7916666666666666) < 1e-12)
        #expect(abs(try #require(try AUPRO.mvtec(scores: scores, regions: regions, limit: 1, thresholds: 4)) - 0.9375) < 1e-12)
    }

    /// Two 3×4 maps from datasets.md §1.4; the diagonal step in gA makes one 8-connected region.
    static let twoImages: (scores: [Float], gt: [UInt8]) = (
        [0.1, 0.2, 0.3, 0.1, 0.2, 0.8, 0.5, 0.3, 0.0, 0.1, 0.4, 0.6,
         0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.1, 0.2, 0.3, 0.4],
        [0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1] + [UInt8](repeating: 0, count: 12))

    @Test("Two-image example: 8-connectivity, official, PointAD variant, pixel AUROC/AP")
    func twoImageExample() throws {
        let (scores, gt) = Self.twoImages
        let (ids, count) = ConnectedRegions.label(mask: Array(gt[0..<12]), width: 4, height: 3)
        #expect(count == 1)
        let regions = ids + [Int32](repeating: 0, count: 12)
        #expect(abs(try #require(try AUPRO.mvtec(scores: scores, regions: regions, thresholds: 5)) - 0.7354497354) < 1e-9)
        #expect(abs(try #require(try AUPRO.mvtec(scores: scores, regions: regions, limit: 1, thresholds: 5)) - 0.9206349206) < 1e-9)
        #expect(abs(try #require(try AUPRO.mvtec(scores: scores, regions: regions)) - 0.7883597884) < 1e-9)
        #expect(abs(try #require(try AUPRO.mvtec(scores: scores, regions: regions, limit: 1, thresholds: 1000)) - 0.9365079365) < 1e-9)
        #expect(abs(try #require(try AUPRO.pointAD(scores: scores, regions: regions)) - 0.7222222222) < 1e-9)
        let ranking = try ScoreRanking(scores: scores, labels: gt)
        #expect(abs(try #require(ranking.auroc) - 0.9206349206) < 1e-9)
        #expect(abs(try #require(ranking.averagePrecision) - 0.6666666667) < 1e-9)
    }

    @Test("4-connected neighbours and diagonal neighbours join; separate blobs do not")
    func regionNumbering() {
        let mask: [UInt8] = [1, 0, 0, 1,
                             0, 1, 0, 0,
                             0, 0, 0, 1]
        let (ids, count) = ConnectedRegions.label(mask: mask, width: 4, height: 3)
        #expect(count == 3)
        #expect(ids == [1, 0, 0, 2, 0, 1, 0, 0, 0, 0, 0, 3])
    }
}
