import Foundation
import PointADModel
import PointClouds
import Rendering
import Testing
import TensorCore
import TestSupport

/// Object score and RGB fusion against closed forms, then the whole scorer on
/// synthetic features (organised and unorganised, PointAD and PointAD+).
@Suite("fusion and scoring")
struct FusionTests {
    @Test("object score = ½·max + ½·global; RGB fusion halves the reference's [0, 2] score")
    func objectScores() {
        #expect(ScoreFusion.objectScore(mapMaximum: 0.8, globalProbability: 0.4) == 0.6000000238418579 || abs(ScoreFusion.objectScore(mapMaximum: 0.8, globalProbability: 0.4) - 0.6) < 1e-7)
        // No blur (σ = 0): F = (C + A)/2, score = ½·max(F) + ¼·(p_rgb + p).
        let fusion = ScoreFusion(gridSigma: 0)
        let (map, score) = fusion.fuseRGB(pointMap: [0.2, 0.8], rgbMap: [0.6, 0.4], width: 2, height: 1, pointGlobal: 0.3, rgbGlobal: 0.5)
        #expect(map == [0.4, 0.6])
        #expect(abs(score - (0.5 * 0.6 + 0.25 * 0.8)) < 1e-6)
        #expect(ScoreFusion(geometryWeight: 0.25).combine(rendering: [1, 0], geometry: [0, 1]) == [0.75, 0.25])
    }

    /// A synthetic scene: `n` points on a plane seen by 3 views of an 8×8 image with 4×4 patch grids;
    /// tokens are random but a patch block is pushed towards the abnormal prompt.
    static func scene(n: Int, d: Int = 8, organised: Bool) throws -> ([ViewFeatures], [ViewProjection], CloudGeometry, PromptFeatures, PromptFeatures) {
        let side = 4, size = 8, width = Int(Double(n).squareRoot().rounded(.up))
        let normal = randomFloats(d, seed: 100), abnormal = randomFloats(d, seed: 101)
        let rendering = try PromptFeatures(normal: normal, abnormal: abnormal)
        let geometry = try PromptFeatures(normal: randomFloats(d, seed: 102), abnormal: randomFloats(d, seed: 103))
        let views = try (0..<3).map { k -> ViewFeatures in
            var values = randomFloats(side * side * d, seed: UInt64(200 + k))
            for p in 0..<(side * side) where p % side < 2 && p / side < 2 {
                for c in 0..<d { values[p * d + c] += 3 * abnormal[c] }
            }
            let t = try Tensor(shape: [side * side, d], values: values)
            t.l2NormalizeRows()
            let cls = try Tensor(shape: [d], values: randomFloats(d, seed: UInt64(300 + k)))
            cls.l2NormalizeRows()
            return try ViewFeatures(layers: [t, t], classEmbedding: cls)
        }
        let positions = (0..<n).map { SIMD3<Float>(Float($0 % width), Float($0 / width), 0) }
        let correspondences = (0..<3).map { k in
            ViewProjection(size: size, pixels: positions.map { Int32((Int($0.y) * size / width) * size + Int($0.x) * size / width) },
                           visible: (0..<n).map { ($0 + k) % 4 != 0 })
        }
        let normals = [SIMD3<Float>](repeating: SIMD3(0, 0, 1), count: n)
        let hoods = try PointNeighbourhoods.bruteForce(positions, k: 16)
        let grid = organised ? OrganizedGrid(width: width, height: width, pixelIndices: Array(0..<n)) : nil
        return (views, correspondences, CloudGeometry(positions: positions, normals: normals, grid: grid, neighbourhoods: hoods), rendering, geometry)
    }

    @Test("end to end on synthetic features: finite scores in [0, 1], the pushed region highest",
          arguments: [(DetectionMethod.pointad, true), (.pointad, false), (.pointadPlus, true), (.pointadPlus, false)])
    func endToEnd(method: DetectionMethod, organised: Bool) throws {
        let n = 144
        let (views, corr, cloud, rendering, geometry) = try Self.scene(n: n, organised: organised)
        let scorer = try PointScorer(renderingPrompts: rendering, geometryPrompts: geometry, settings: ScoringSettings(method: method))
        let result = try scorer.score(views: views, projections: corr, cloud: cloud)
        #expect(result.pointScores.count == n)
        for s in result.pointScores + [result.objectScore] { #expect(s.isFinite && s >= 0 && s <= 1) }
        #expect((result.geometryPointScores != nil) == (method == .pointadPlus))
        // Points in the top-left quarter of the image (the pushed patches) against the rest, rendering layer.
        let inside = (0..<n).filter { $0 % 12 < 6 && $0 / 12 < 6 }, outside = (0..<n).filter { $0 % 12 >= 8 || $0 / 12 >= 8 }
        let mean = { (idx: [Int]) in idx.map { result.renderingPointScores[$0] }.reduce(0, +) / Float(idx.count) }
        #expect(mean(inside) > mean(outside) + 0.2)
    }

    @Test("bad inputs: empty cloud, PointAD+ without geometry prompts, RGB on an unorganised cloud")
    func badInputs() throws {
        let (views, corr, cloud, rendering, _) = try Self.scene(n: 16, organised: false)
        #expect(throws: (any Error).self) { try PointScorer(renderingPrompts: rendering, settings: ScoringSettings(method: .pointadPlus)) }
        let scorer = try PointScorer(renderingPrompts: rendering, settings: ScoringSettings())
        #expect(throws: (any Error).self) {
            try scorer.score(views: views, projections: corr, cloud: CloudGeometry(positions: []))
        }
        #expect(throws: (any Error).self) {
            try scorer.score(views: views, projections: corr, cloud: cloud, rgb: RGBFeatures(views[0]))
        }
    }
}
