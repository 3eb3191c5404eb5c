import Foundation
import PointADModel
import Rendering
import Testing
import TensorCore
import TestSupport

/// PointAD+'s geometry layer piece by piece: gathering point features from the patch grid,
/// geometry-weighted aggregation on a toy cloud, and scoring with the geometry prompts, each
/// against a plain reference computation.
@Suite("geometry layer")
struct GeometryLayerTests {
    @Test("point features (patch mixtures) equal the full upsampled feature maps read at the point's pixel")
    func gatherMatchesFullMaps() throws {
        let side = 3, size = 8, d = 5, n = 40
        let tokens = (0..<2).map { try! Tensor(shape: [side * side, d], values: randomFloats(side * side * d, seed: UInt64(10 + $0))) }
        var rng = SeededRandom(seed: 3)
        let views = (0..<2).map { _ in
            ViewProjection(size: size, pixels: (0..<n).map { _ in Int32(rng.next() % UInt64(size * size)) },
                           visible: (0..<n).map { _ in rng.next() % 3 != 0 })
        }
        let up = BilinearUpsampler(source: side, target: size)
        let mixture = PatchMixture(upsampler: up, projections: views)
        let stacked = try PatchMixture.stack(tokens.map { try ViewFeatures(layers: [$0], classEmbedding: Tensor(zeros: [d])) })
        let gathered = mixture.features(tokens: stacked, points: Array(0..<n))
        // Reference: materialise every view's size×size×D map channel by channel, then average.
        let maps = tokens.map { t in (0..<d).map { c in up.upsample((0..<(side * side)).map { t[$0, c] }) } }
        var expected = [Float]()
        for j in 0..<n {
            let seen = (0..<2).filter { views[$0].visible[j] }
            for c in 0..<d {
                let values = seen.map { k -> Float in
                    return maps[k][c][Int(views[k].pixels[j])]
                }
                expected.append(seen.isEmpty ? 0 : values.reduce(0, +) / Float(seen.count))
            }
        }
        #expect(maxAbsoluteError(gathered.toArray(), expected) < 1e-5)
    }

    @Test("aggregation weights on a toy cloud: distance kernel × normal agreement, normalised")
    func weights() throws {
        // Point 0 at the origin; neighbours at distance 1 (same normal), 2 (normal at 60°).
        let positions: [SIMD3<Float>] = [SIMD3(0, 0, 0), SIMD3(1, 0, 0), SIMD3(0, 2, 0)]
        let normals: [SIMD3<Float>] = [SIMD3(0, 0, 1), SIMD3(0, 0, -1), SIMD3(0, Float(3).squareRoot() / 2, 0.5)]
        let hoods = try PointNeighbourhoods.bruteForce(positions, k: 3)
        #expect(hoods.indices[0..<3] == [0, 1, 2])
        let g = GeometryAggregation(neighbours: 3, distanceScale: 0.5, normalPower: 2)
        let w = g.weights(positions: positions, normals: normals, neighbourhoods: hoods)
        // σ = 0.5 · 2 = 1: kernel exp(−d²/2) = 1, e^−0.5, e^−2; agreement² = 1, 1 (sign ignored), 0.25.
        let raw = [1, Foundation.exp(-0.5), 0.25 * Foundation.exp(-2.0)]
        let total = raw.reduce(0, +)
        #expect(maxAbsoluteError(Array(w[0..<3]), raw.map { Float($0 / total) }) < 1e-6)
        // A radius of 1.5 drops the far neighbour; σ shrinks to 0.5: exp(−1/(2·0.25)) = e^−2.
        let cut = GeometryAggregation(neighbours: 3, radius: 1.5, distanceScale: 0.5, normalPower: 0)
        let wc = cut.weights(positions: positions, normals: normals, neighbourhoods: hoods)
        let e = Foundation.exp(-2.0)
        #expect(maxAbsoluteError(Array(wc[0..<3]), [Float(1 / (1 + e)), Float(e / (1 + e)), 0]) < 1e-6)
    }

    @Test("geometry scores equal softmax(normalise(Σ_i w_ji h_i) · T_g / 0.07) computed step by step")
    func scoring() throws {
        let n = 30, d = 6, side = 2, size = 4
        var rng = SeededRandom(seed: 9)
        let positions = (0..<n).map { _ in SIMD3<Float>(rng.uniform(), rng.uniform(), rng.uniform()) }
        let normals = (0..<n).map { _ -> SIMD3<Float> in
            let v = SIMD3<Float>(rng.uniform() - 0.5, rng.uniform() - 0.5, rng.uniform() - 0.5)
            return v / (v * v).sum().squareRoot()
        }
        let views = (0..<3).map { k in
            ViewProjection(size: size, pixels: (0..<n).map { _ in Int32(rng.next() % UInt64(size * size)) },
                           visible: (0..<n).map { ($0 + k) % 5 != 0 })
        }
        let tokens = try Tensor(shape: [3 * side * side, d], values: randomFloats(3 * side * side * d, seed: 4))
        let mixture = PatchMixture(upsampler: BilinearUpsampler(source: side, target: size), projections: views)
        let prompts = try PromptFeatures(embeddings: Tensor(shape: [2, d], values: randomFloats(2 * d, seed: 8)))
        let hoods = try PointNeighbourhoods.bruteForce(positions, k: 5)
        let layer = GeometryLayer(prompts: prompts, aggregation: GeometryAggregation(neighbours: 5))
        let w = layer.aggregation.weights(positions: positions, normals: normals, neighbourhoods: hoods)
        let scores = try layer.score(tokens: tokens, mixture: mixture, weights: w, neighbourhoods: hoods)
        // Reference: materialise h for every point, aggregate with a loop over the neighbour lists.
        let h = mixture.features(tokens: tokens, points: Array(0..<n))
        var z = [Float]()
        for j in 0..<n {
            for c in 0..<d {
                var s: Float = 0
                for m in 0..<5 { s += w[j * 5 + m] * h[Int(hoods.indices[j * 5 + m]), c] }
                z.append(s)
            }
        }
        let zt = try Tensor(shape: [n, d], values: z)
        let direct = try GeometryLayer.aggregatedFeatures(points: [3, 17], tokens: tokens, mixture: mixture, weights: w, neighbourhoods: hoods)
        #expect(maxAbsoluteError(direct.toArray(), Array(z[(3 * d)..<(4 * d)] + z[(17 * d)..<(18 * d)])) < 1e-5)
        zt.l2NormalizeRows()
        let expected = try PatchScoring.abnormalProbabilities(zt, prompts: prompts)
        // Point features are stored in half precision on the scoring path (PatchMixture.halfFeatures).
        #expect(maxAbsoluteError(scores, expected) < 2e-3)
    }

    @Test("brute-force neighbours: self first, then by distance")
    func neighbours() throws {
        let positions: [SIMD3<Float>] = [SIMD3(0, 0, 0), SIMD3(3, 0, 0), SIMD3(1, 0, 0), SIMD3(0, 0, 2)]
        let hoods = try PointNeighbourhoods.bruteForce(positions, k: 3)
        #expect(Array(hoods.indices[0..<3]) == [0, 2, 3])
        #expect(Array(hoods.squaredDistances[0..<3]) == [0, 1, 4])
        #expect(Array(hoods.indices[3..<6]) == [1, 2, 0])
    }
}
