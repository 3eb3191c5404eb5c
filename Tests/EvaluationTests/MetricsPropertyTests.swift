import Testing
import TestSupport
@testable import Evaluation

// Properties any ranking metric must have, checked on random data against a brute-force pair count:
// they catch sort-order and tie-handling bugs the fixtures might miss.
@Suite("Metric properties")
struct MetricsPropertyTests {
    static func sample(_ n: Int, seed: UInt64, levels: Int? = nil) -> ([Float], [UInt8]) {
        var scores = randomFloats(n, seed: seed)
        if let levels { scores = scores.map { ($0 * Float(levels)).rounded() / Float(levels) } }
        let labels = randomFloats(n, seed: seed + 1).enumerated().map { UInt8($1 + scores[$0] * 0.5 > 0.2 ? 1 : 0) }
        return (scores, labels)
    }

    /// P(positive ranked above negative) + ½ P(tie), counted over all pairs.
    static func bruteForceAUROC(_ s: [Float], _ l: [UInt8]) -> Double {
        var wins = 0.0, pairs = 0.0
        for i in s.indices where l[i] != 0 {
            for j in s.indices where l[j] == 0 {
                pairs += 1
                wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0
            }
        }
        return wins / pairs
    }

    @Test("AUROC equals the pair count, with and without ties", arguments: [nil, 4, 20] as [Int?])
    func pairCount(levels: Int?) throws {
        let (s, l) = Self.sample(700, seed: 11, levels: levels)
        let auroc = try #require(try ScoreRanking(scores: s, labels: l).auroc)
        #expect(abs(auroc - Self.bruteForceAUROC(s, l)) < 1e-12)
    }

    @Test("AUROC is invariant under strictly increasing transforms")
    func monotone() throws {
        let (s, l) = Self.sample(2000, seed: 5, levels: 50)
        let base = try ScoreRanking(scores: s, labels: l)
        let transformed = try ScoreRanking(scores: s.map { $0 * $0 * $0 * 3 + 7 }, labels: l)
        #expect(base.auroc == transformed.auroc)
        #expect(base.averagePrecision == transformed.averagePrecision)
    }

    @Test("AUROC(−s) = 1 − AUROC(s)")
    func reversal() throws {
        let (s, l) = Self.sample(3000, seed: 9, levels: 30)
        let a = try #require(try ScoreRanking(scores: s, labels: l).auroc)
        let b = try #require(try ScoreRanking(scores: s.map { 1 - $0 }, labels: l).auroc)
        #expect(abs(a + b - 1) < 1e-12)
    }

    @Test("Perfect separation gives 1, all ties give ½; −0 and +0 tie")
    func extremes() throws {
        let perfect = try ScoreRanking(scores: [0.1, 0.2, 0.7, 0.9], labels: [0, 0, 1, 1])
        #expect(perfect.auroc == 1)
        #expect(perfect.averagePrecision == 1)
        #expect(try ScoreRanking(scores: [-0.0, 0.0], labels: [1, 0]).auroc == 0.5)
        #expect(try ScoreRanking(scores: [-3, -1e-30, 1e-30, 5e30], labels: [0, 0, 1, 1]).auroc == 1)
    }

    @Test("AP equals a direct evaluation of Σ (Rₖ − Rₖ₋₁) Pₖ over distinct thresholds")
    func apDirect() throws {
        let (s, l) = Self.sample(500, seed: 21, levels: 10)
        let positives = Double(l.filter { $0 != 0 }.count)
        var expected = 0.0, previousRecall = 0.0
        for t in Set(s).sorted(by: >) {
            let selected = s.indices.filter { s[$0] >= t }
            let tp = Double(selected.filter { l[$0] != 0 }.count)
            let recall = tp / positives
            expected += (recall - previousRecall) * tp / Double(selected.count)
            previousRecall = recall
        }
        let ap = try #require(try ScoreRanking(scores: s, labels: l).averagePrecision)
        #expect(abs(ap - expected) < 1e-12)
    }

    @Test("Radix order equals Swift's sort, negatives and extremes included")
    func radixOrder() {
        var values = randomFloats(50_000, seed: 3, scale: 1e4) + [-.greatestFiniteMagnitude, .greatestFiniteMagnitude, 0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude]
        values += values.prefix(100)
        #expect(SortKeys.sorted(values) == values.sorted())
    }

    @Test("AU-PRO: a perfect detector scores 1, and rescaling scores changes nothing")
    func aupro() throws {
        let scores: [Float] = (0..<400).map { Float($0 % 97) / 97 } + (0..<50).map { 2 + Float($0) }
        let regions: [Int32] = [Int32](repeating: 0, count: 400) + (0..<50).map { Int32($0 / 10 + 1) }
        #expect(abs(try #require(try AUPRO.mvtec(scores: scores, regions: regions)) - 1) < 1e-12)
        let (s, _) = Self.sample(900, seed: 4)
        let r: [Int32] = s.indices.map { $0 % 7 == 0 ? Int32($0 % 3 + 1) : 0 }
        let a = try AUPRO.mvtec(scores: s, regions: r), b = try AUPRO.mvtec(scores: s.map { $0 * 4 + 1 }, regions: r)
        #expect(a != nil && a == b)
    }

    @Test("Class metrics equal the metrics of the pooled arrays (shared-sort path included)")
    func classMetricsPooled() throws {
        var pooledScores: [Float] = [], pooledLabels: [UInt8] = [], pooledRegions: [Int32] = []
        var samples: [ScoredSample] = []
        for k in 0..<6 {
            let (s, _) = Self.sample(300 + 10 * k, seed: UInt64(40 + k), levels: 64)
            let r: [Int32] = s.indices.map { k % 2 == 1 && $0 % 11 < 3 ? Int32($0 % 2 + 1) : 0 }
            let l = r.map { UInt8($0 != 0 ? 1 : 0) }
            let descriptor = SampleDescriptor(className: "c", split: "test", defect: k % 2 == 1 ? "bad" : "good", stem: "\(k)", points: "", label: k % 2)
            samples.append(ScoredSample(sample: descriptor, index: k, objectScore: s.max()!, pointScores: s, pointLabels: l, regions: r))
            let offset = Int32(pooledRegions.max() ?? 0)
            pooledScores += s; pooledLabels += l; pooledRegions += r.map { $0 == 0 ? 0 : $0 + offset }
        }
        let m = try ClassMetrics.compute(className: "c", samples: samples)
        let ranking = try ScoreRanking(scores: pooledScores, labels: pooledLabels)
        #expect(m.pointAUROC == ranking.auroc && m.pointAP == ranking.averagePrecision)
        let official = try AUPRO.mvtec(scores: pooledScores, regions: pooledRegions)
        let variant = try AUPRO.pointAD(scores: pooledScores, regions: pooledRegions)
        #expect(m.aupro != nil && m.aupro == official)
        #expect(m.auproPointAD != nil && m.auproPointAD == variant)
        #expect(m.points == pooledScores.count && m.anomalous == 3 && m.normal == 3)
    }
}
