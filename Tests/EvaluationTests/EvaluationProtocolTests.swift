import Foundation
import PointADSupport
import PointClouds
import Testing
import TestSupport
@testable import Evaluation

// The evaluation protocols decide which cells the point-level metrics pool. Expected values come
// from brute-force pair counting written here (not from ScoreRanking), from hand-built grids, and
// for the gt resize from Pillow itself (Fixtures/metrics/pil_bilinear_masks.json).
@Suite("Evaluation protocols: points, mvtec, pointad")
struct EvaluationProtocolTests {
    /// scikit-learn's AUROC by definition: the fraction of (positive, negative) pairs ranked right,
    /// ties half.
    static func pairAUROC(_ scores: [Float], _ labels: [UInt8]) -> Double {
        var credit = 0.0, pairs = 0.0
        for i in scores.indices where labels[i] != 0 {
            for j in scores.indices where labels[j] == 0 {
                pairs += 1
                credit += scores[i] > scores[j] ? 1 : (scores[i] == scores[j] ? 0.5 : 0)
            }
        }
        return credit / pairs
    }

    /// A 4×4 scan: pixels 0, 5, 10 and 15 are invalid (no point). The gt marks pixels 2, 3, 6 (one
    /// 8-connected region) and pixel 15, which has no point: only full-grid protocols see it.
    static let grid = OrganizedGrid(width: 4, height: 4, pixelIndices: [1, 2, 3, 4, 6, 7, 8, 9, 11, 12, 13, 14])
    static let mask = GridMask(width: 4, height: 4, values: [0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1])
    //                                    pixel:  1    2    3    4    6    7    8    9    11   12   13   14
    static let pointScores: [Float] = [0.2, 0.9, 0.7, 0.1, 0.6, 0.3, 0.6, 0.05, 0.4, 0.3, 0.2, 0.5]

    static func sample(_ label: Int = 1) -> SampleDescriptor {
        SampleDescriptor(className: "c", split: "test", defect: label == 1 ? "crack" : "good", stem: "000", points: "/x/000.tiff", label: label)
    }

    static func loaded(mask: GridMask? = EvaluationProtocolTests.mask) -> LoadedSample {
        let cloud = PointCloud(positions: grid.pixelIndices.map { SIMD3(Float($0), 1, 1) }, grid: grid)
        let labels = grid.pixelIndices.map { mask?.values[$0] ?? 0 }
        return LoadedSample(cloud: cloud, pointLabels: labels, regions: labels.map { Int32($0) }, mask: mask)
    }

    static func scored(_ p: EvaluationProtocol, scores: [Float] = pointScores, map: ScoreMap? = nil) throws -> ScoredSample {
        try BatchEvaluation.checked(SampleScore(objectScore: 1, pointScores: scores, map: map), loaded(), sample(), index: 0, protocol: p)
    }

    @Test("points: the valid pixels only, as before the option existed")
    func pointsProtocol() throws {
        let s = try Self.scored(.points)
        #expect(s.pointScores == Self.pointScores)
        #expect(s.pointLabels == [0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0])
        #expect(s.inputScores == nil)
        let m = try ClassMetrics.compute(className: "c", samples: [s])
        // 3 positives (0.9, 0.7, 0.6) against 9 negatives: 0.9 and 0.7 beat all 9; 0.6 beats 8, ties 1.
        #expect(abs(try #require(m.pointAUROC) - 26.5 / 27) < 1e-12)
        #expect(abs(try #require(m.pointAUROC) - Self.pairAUROC(s.pointScores, s.pointLabels)) < 1e-12)
        #expect(m.points == 12)
    }

    @Test("mvtec: all 16 pixels against the full mask, invalid pixels scored 0 (nonnegative scores)")
    func mvtecProtocol() throws {
        let s = try Self.scored(.mvtec)
        #expect(s.pointScores == [0, 0.2, 0.9, 0.7, 0.1, 0, 0.6, 0.3, 0.6, 0.05, 0, 0.4, 0.3, 0.2, 0.5, 0])
        #expect(s.pointLabels == Self.mask.values)
        #expect(s.regions == [0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2])
        #expect(s.inputScores == Self.pointScores)
        let m = try ClassMetrics.compute(className: "c", samples: [s])
        // 4 positives (0.9, 0.7, 0.6, 0 at the invalid pixel 15) against 12 negatives (three of them 0):
        // 12 + 12 + (11 + 0.5) + (0 + 3·0.5) = 37 of 48 pairs.
        #expect(abs(try #require(m.pointAUROC) - 37.0 / 48) < 1e-12)
        #expect(abs(try #require(m.pointAUROC) - Self.pairAUROC(s.pointScores, s.pointLabels)) < 1e-12)
        #expect(m.points == 16 && m.anomalousPoints == 4)
        #expect(m.pointAUROC != (try ClassMetrics.compute(className: "c", samples: [try Self.scored(.points)])).pointAUROC)
    }

    @Test("mvtec: with negative scores invalid pixels take the sample's lowest score; a full-size map is taken as is")
    func mvtecFill() throws {
        let shifted = Self.pointScores.map { $0 - 1 }
        let s = try Self.scored(.mvtec, scores: shifted)
        for pixel in [0, 5, 10, 15] { #expect(s.pointScores[pixel] == shifted.min()!) }
        let map = ScoreMap(width: 4, height: 4, values: (0..<16).map { Float($0) / 16 })
        #expect(try Self.scored(.mvtec, map: map).pointScores == map.values)
        // A map of another size (e.g. the detector's 336 grid) is not the scan's: points are laid out instead.
        let other = ScoreMap(width: 2, height: 2, values: [1, 2, 3, 4])
        #expect(try Self.scored(.mvtec, map: other).pointScores == (try Self.scored(.mvtec)).pointScores)
    }

    @Test("pointad: the 4×4 scan nearest-resized to 336 (84×84 blocks), gt PIL-bilinear resized; a 336 map is taken as is")
    func pointadProtocol() throws {
        // gt = the top two rows: PIL bilinear keeps exactly output rows 0…167 above 0.5, i.e. whole
        // blocks, so every 4×4 pixel becomes 84² identical cells and the AUROC equals the 16-pixel one.
        let top = GridMask(width: 4, height: 4, values: [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0])
        let loaded = Self.loaded(mask: top)
        let s = try BatchEvaluation.checked(SampleScore(objectScore: 1, pointScores: Self.pointScores), loaded, Self.sample(),
                                            index: 0, protocol: .pointad)
        let side = 336
        #expect(s.pointScores.count == side * side && s.pointLabels.count == side * side)
        let full: [Float] = [0, 0.2, 0.9, 0.7, 0.1, 0, 0.6, 0.3, 0.6, 0.05, 0, 0.4, 0.3, 0.2, 0.5, 0]
        for y in [0, 83, 84, 200, 335] {
            for x in [0, 83, 84, 170, 335] {
                #expect(s.pointScores[y * side + x] == full[(y / 84) * 4 + x / 84])
                #expect(s.pointLabels[y * side + x] == (y < 168 ? 1 : 0))
            }
        }
        #expect(s.pointLabels.reduce(0) { $0 + Int($1) } == 168 * side)
        let m = try ClassMetrics.compute(className: "c", samples: [s])
        #expect(abs(try #require(m.pointAUROC) - Self.pairAUROC(full, top.values)) < 1e-12)
        // PointAD's AU-PRO only sees fractions of cells, so it is the 16-pixel value too.
        let small = try #require(try AUPRO.pointAD(scores: full, regions: top.values.map { Int32($0) }))
        #expect(abs(try #require(m.auproPointAD) - small) < 1e-9)

        let map = ScoreMap(width: side, height: side, values: (0..<(side * side)).map { Float($0 % 97) / 97 })
        let withMap = try BatchEvaluation.checked(SampleScore(objectScore: 1, pointScores: Self.pointScores, map: map), loaded,
                                                  Self.sample(), index: 0, protocol: .pointad)
        #expect(withMap.pointScores == map.values)
    }

    @Test("A defect-free organised sample without gt counts every cell as normal")
    func goodSample() throws {
        let l = Self.loaded(mask: nil)
        for p in [EvaluationProtocol.mvtec, .pointad] {
            let s = try BatchEvaluation.checked(SampleScore(objectScore: 0, pointScores: Self.pointScores), l, Self.sample(0), index: 0, protocol: p)
            #expect(s.pointLabels.allSatisfy { $0 == 0 } && s.regions!.allSatisfy { $0 == 0 })
            #expect(s.pointScores.count == (p == .mvtec ? 16 : 336 * 336))
        }
    }

    @Test("The gt resize equals Pillow's BILINEAR + > 0.5 bit for bit", arguments: 0..<5)
    func pilBilinear(_ index: Int) throws {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: TestPaths.fixture("metrics/pil_bilinear_masks.json"))) as! [String: Any]
        let c = (json["cases"] as! [[String: Any]])[index]
        let bits = { (s: String) in s.utf8.map { UInt8($0 == UInt8(ascii: "1") ? 1 : 0) } }
        let mask = GridMask(width: c["width"] as! Int, height: c["height"] as! Int, values: bits(c["mask"] as! String))
        let resized = PILBilinearMask.resize(mask, width: c["out_width"] as! Int, height: c["out_height"] as! Int)
        let expected = bits(c["resized"] as! String)
        let wrong = zip(resized.values, expected).filter { $0 != $1 }.count
        #expect(wrong == 0, "\(wrong) of \(expected.count) cells differ")
    }

    @Test("Unorganised datasets: pointad only for the resampled ones; results.json and results.md name the protocol")
    func labelling() throws {
        // Real3D-AD and Anomaly-ShapeNet keep `pointad` (their resampled points); plain folders have no reference protocol.
        for kind in [DatasetKind.real3d, .shapenet] {
            #expect(EvaluationProtocol.pointad.effective(for: kind) == .pointad)
            #expect(EvaluationProtocol.mvtec.effective(for: kind) == .points)
        }
        #expect(EvaluationProtocol.pointad.effective(for: .plain) == .points)
        #expect(EvaluationProtocol.mvtec.effective(for: .eyecandies) == .mvtec)
        var report = EvaluationReport(dataset: .mvtec3d, split: "test", classes: [try ClassMetrics.compute(className: "c", samples: [try Self.scored(.pointad)])],
                                      samples: [], failures: [], evaluationProtocol: .pointad)
        let json = ReportFiles.json(report, settings: [:])
        #expect(json.contains("\"protocol\": \"pointad\""))
        #expect(json.contains("[protocol pointad]"))
        let c = report.classes[0]
        #expect(ReportFiles.markdown(report).contains(String(format: "%.1f |\n", try #require(c.auproPointAD) * 100)))
        report.evaluationProtocol = .mvtec
        #expect(ReportFiles.json(report, settings: [:]).contains("\"protocol\": \"mvtec\""))
    }
}
