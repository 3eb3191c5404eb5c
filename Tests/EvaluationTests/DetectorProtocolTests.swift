import CLIP
import Foundation
import Imaging
import PointADModel
import PointADSupport
import PointClouds
import Testing
import TestSupport
@testable import Evaluation

// The tiny detector on a small MVTec 3D-AD tree, under each protocol: the detector's per-point
// scores (in the TIFF's valid-pixel order, as saved) evaluated again by `pointad metrics` must give
// the numbers of the run itself, and each protocol pools the cells it promises.
@Suite("Evaluation protocols with the tiny detector")
struct DetectorProtocolTests {
    /// Scans of a tilted plane; the border ring is invalid; anomalous scans have a raised
    /// 4×3 patch marked in the gt.
    static func tree(width w: Int, height h: Int) throws -> URL {
        let root = try TestPaths.temporaryDirectory("mvtec-detector")
        for (defect, stem) in [("good", "000"), ("good", "001"), ("hole", "000"), ("hole", "001")] {
            var image = XYZImage(width: w, height: h)
            var gt = [UInt8](repeating: 0, count: w * h)
            for y in 1..<(h - 1) {
                for x in 1..<(w - 1) {
                    let bump = defect == "hole" && (6..<10).contains(x) && (5..<8).contains(y)
                    image[x, y] = SIMD3(Float(x) * 0.01, Float(y) * 0.01, 0.5 + Float(x + y) * 0.001 + (bump ? 0.03 : 0))
                    if bump { gt[y * w + x] = 255 }
                }
            }
            let dir = root.appendingPathComponent("gizmo/test/\(defect)")
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("xyz"), withIntermediateDirectories: true)
            try XYZTIFFFile.write(image, to: dir.appendingPathComponent("xyz/\(stem).tiff"))
            if defect == "hole" {
                try FileManager.default.createDirectory(at: dir.appendingPathComponent("gt"), withIntermediateDirectories: true)
                try PNGFile.write(bytes: gt, width: w, height: h, channels: 1, to: dir.appendingPathComponent("gt/\(stem).png"))
            }
        }
        return root
    }

    @Test("eval under each protocol, then metrics over its saved scores: same numbers, the promised cells",
          arguments: [(20, 16), (56, 56)])
    func detectorRoundTrip(_ size: (width: Int, height: Int)) throws {
        let (w, h) = size
        let data = try Self.tree(width: w, height: h), work = try TestPaths.temporaryDirectory("mvtec-detector-work")
        let prompts = work.appendingPathComponent("prompts.safetensors")
        try PromptsFile.write(PromptSet.random(contextLength: 12, width: 64, depth: 3, deepLength: 4, seed: 3), to: prompts)
        let detector = try Detector(model: TestPaths.fixture("anomalyclip-tiny/model"), prompts: prompts)
        let scorer = DetectorSampleScorer(detector: detector)
        // The map handed to the protocols is the one the point scores were read from: the detector's
        // grid (the scan resized to the render size, 56 for the tiny model), background included.
        let first = try DatasetWalker(kind: .mvtec3d, root: data).samples()[2]
        let loaded = try DatasetSampleLoader().load(first)
        let score = try scorer.score(loaded.cloud, sample: first)
        let map = try #require(score.map)
        let grid = try #require(loaded.cloud.grid)
        #expect(map.width == 56 && map.height == 56)
        for (i, pixel) in grid.pixelIndices.enumerated() {
            #expect(score.pointScores[i] == map.values[(pixel / w * 56 / h) * 56 + pixel % w * 56 / w])
        }
        #expect(map.values[0] > 0, "the σ = 4 blur spreads scores into the background")
        let out = work.appendingPathComponent("points")
        let byPoints = try #require(try BatchEvaluation.run(
            EvaluationSettings(dataset: .mvtec3d, data: data, output: out, saveScores: true, evaluationProtocol: .points),
            loader: DatasetSampleLoader(), scorer: scorer, quiet: true))
        let valid = (w - 2) * (h - 2)
        #expect(byPoints.classes[0].points == 4 * valid && byPoints.classes[0].anomalousPoints == 2 * 12)
        let savedMap = try NPYFile.read(out.appendingPathComponent("scores/gizmo/hole/000.map.npy"))
        #expect(savedMap.shape == [56, 56] && savedMap.floats() == map.values)
        // Scores saved by the run, evaluated again: under mvtec a 56×56 scan's map is its full-size
        // map (taken as is, directly and from <stem>.map.npy); a 20×16 scan's is not.
        let saved = try SavedScoresScorer(directory: out)
        let expectedCells: [EvaluationProtocol: Int] = [.points: valid, .mvtec: w * h, .pointad: 336 * 336]
        for p in EvaluationProtocol.allCases {
            let again = try #require(try BatchEvaluation.run(EvaluationSettings(dataset: .mvtec3d, data: data, output: nil, evaluationProtocol: p),
                                                             loader: DatasetSampleLoader(), scorer: saved, quiet: true))
            let direct = p == .points ? byPoints : try #require(try BatchEvaluation.run(
                EvaluationSettings(dataset: .mvtec3d, data: data, output: nil, evaluationProtocol: p),
                loader: DatasetSampleLoader(), scorer: scorer, quiet: true))
            let a = again.classes[0], d = direct.classes[0]
            #expect(a.points == 4 * expectedCells[p]!, "\(p)")
            #expect(a.pointAUROC == d.pointAUROC && a.aupro == d.aupro && a.auproPointAD == d.auproPointAD, "\(p)")
            #expect(a.objectAUROC == d.objectAUROC, "\(p)")
        }
    }
}
