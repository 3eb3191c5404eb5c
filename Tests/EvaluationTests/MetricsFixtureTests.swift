import CLIP
import Foundation
import Testing
import TestSupport
@testable import Evaluation

// The metrics must give the numbers of the references papers use: scikit-learn for AUROC/AP and
// MVTec's evaluator / PointAD's metrics.py for AU-PRO. Fixtures/metrics was produced once by those
// references (see Fixtures/README); these tests compare to 1e-6.
@Suite("Metrics against the reference fixtures")
struct MetricsFixtureTests {
    let tensors: SafetensorsFile
    let expected: [String: Any]

    init() throws {
        tensors = try SafetensorsFile(contentsOf: TestPaths.fixture("metrics/inputs.safetensors"))
        expected = try JSONSerialization.jsonObject(
            with: Data(contentsOf: TestPaths.fixture("metrics/expected.json"))) as! [String: Any]
    }

    var cases: [[String: Any]] { expected["auroc_ap"] as! [[String: Any]] }

    @Test("AUROC and AP equal scikit-learn on 12 cases with ties", arguments: 0..<12)
    func aurocAndAP(_ index: Int) throws {
        let entry = cases[index]
        let name = entry["name"] as! String
        let scores = Array(try tensors.tensor("scores.\(name.dropFirst(4))").buffer)
        let labels = try tensors.int32Values("labels.\(name.dropFirst(4))").values.map { UInt8($0) }
        let ranking = try ScoreRanking(scores: scores, labels: labels)
        #expect(abs(try #require(ranking.auroc) - (entry["auroc"] as! Double)) < 1e-6)
        #expect(abs(try #require(ranking.averagePrecision) - (entry["ap"] as! Double)) < 1e-6)
    }

    /// The fixture's 8 maps pooled as a class, regions labelled per map with 8-connectivity.
    func pooledMaps() throws -> (scores: [Float], regions: [Int32], labels: [UInt8]) {
        let map = try tensors.tensor("pro.pred")
        let (pred, shape) = (Array(map.buffer), map.shape)
        let gt = try tensors.int32Values("pro.gt").values
        let (maps, h, w) = (shape[0], shape[1], shape[2])
        var regions: [Int32] = []
        var offset: Int32 = 0
        for m in 0..<maps {
            let mask = gt[(m * h * w)..<((m + 1) * h * w)].map { UInt8($0 != 0 ? 1 : 0) }
            let (ids, count) = ConnectedRegions.label(mask: mask, width: w, height: h)
            regions += ids.map { $0 == 0 ? 0 : $0 + offset }
            offset += Int32(count)
        }
        return (pred, regions, gt.map { UInt8($0 != 0 ? 1 : 0) })
    }

    var pro: [String: Double] { expected["pro"] as! [String: Double] }

    @Test("MVTec official AU-PRO (0.3, 100 thresholds) equals the reference")
    func officialAUPRO() throws {
        let (scores, regions, _) = try pooledMaps()
        let value = try #require(try AUPRO.mvtec(scores: scores, regions: regions))
        #expect(abs(value - pro["official_au_pro_0.3_100thr"]!) < 1e-6)
    }

    @Test("PointAD's AU-PRO variant equals its metrics.py")
    func pointADAUPRO() throws {
        let (scores, regions, _) = try pooledMaps()
        let value = try #require(try AUPRO.pointAD(scores: scores, regions: regions))
        #expect(abs(value - pro["pointad_variant_au_pro_0.3"]!) < 1e-6)
    }

    @Test("Pixel AUROC over all maps equals scikit-learn")
    func pixelAUROC() throws {
        let (scores, _, labels) = try pooledMaps()
        let value = try #require(try ScoreRanking(scores: scores, labels: labels).auroc)
        #expect(abs(value - pro["pixel_auroc"]!) < 1e-6)
    }
}
