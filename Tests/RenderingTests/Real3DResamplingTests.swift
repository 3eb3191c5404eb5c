import Foundation
import Testing
@testable import Rendering

/// Real3D-AD's resampling as `multiview_real3d.py` (dossier §2.6), checked by brute force.
@Suite struct Real3DResamplingTests {
    static func cloud(_ n: Int, seed: UInt64 = 1) -> [SIMD3<Float>] {
        var state = seed
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24)
        }
        return (0..<n).map { _ in SIMD3(next(), next(), next() * 0.3) }
    }

    /// The 3 nearest other points of `i`, by brute force.
    static func neighbours(_ points: [SIMD3<Float>], _ i: Int) -> [Int] {
        let d = points.indices.map { j -> (Float, Int) in let e = points[j] - points[i]; return ((e * e).sum(), j) }
        return d.filter { $0.1 != i }.sorted { $0 < $1 }.prefix(3).map(\.1)
    }

    @Test func smallCloudsGrowTenfoldAlongNeighbourSegments() throws {
        let points = Self.cloud(200)
        let labels = points.indices.map { Float($0 % 2) }
        let result = try Real3DResampling().resample(points, labels: labels)
        #expect(result.positions.count == 2000)          // under 11,290 points: 10·N
        #expect(Array(result.positions.prefix(200)) == points)
        #expect(result.inputSample == Array(0..<200))
        let labelsOut = try #require(result.labels)
        // Each added point is some (point, neighbour, ratio)'s, with that end's label (a midpoint of
        // two mutual neighbours is made from both ends, so any matching triple may explain it).
        let neighbours = (0..<200).map { Self.neighbours(points, $0) }
        var explained = 0
        for q in 200..<2000 {
            var found = false
            for i in 0..<200 where !found {
                for j in neighbours[i] {
                    for ratio: Float in [0.25, 0.5, 0.75] {
                        let candidate = points[i] + ratio * (points[j] - points[i])
                        if ((candidate - result.positions[q]) * (candidate - result.positions[q])).sum() < 1e-12,
                           labelsOut[q] == (ratio <= 0.5 ? labels[i] : labels[j]) { found = true }
                    }
                }
            }
            if found { explained += 1 }
        }
        #expect(explained == 1800)
    }

    /// `interpolation_points_with_gt_colors` with every candidate kept (a cloud under 11,290
    /// points): made point c = (point i, its m-th nearest other point j, ratio r) for c = 9i + 3m + r,
    /// positioned i + r·(j − i) and labelled by i when r ≤ 0.5, else by j; j from a brute-force search.
    @Test func labelSourcesAreTheNearerEndOfBruteForceNeighbourSegments() throws {
        let points = Self.cloud(300, seed: 9)
        let labels: [UInt8] = points.indices.map { $0 % 7 == 0 ? 1 : 0 }
        let result = try Real3DResampling().resample(points)
        #expect(result.positions.count == 3000 && result.labelSources.count == 3000)
        #expect(Array(result.labelSources.prefix(300)) == Array(0..<300))
        let ratios: [Float] = [0.25, 0.5, 0.75]
        var wrongPosition = 0, wrongSource = 0
        for c in 0..<2700 {
            let i = c / 9, j = Self.neighbours(points, i)[(c % 9) / 3], ratio = ratios[c % 3]
            let expected = points[i] + ratio * (points[j] - points[i])
            if result.positions[300 + c] != expected { wrongPosition += 1 }
            if result.labelSources[300 + c] != (ratio <= 0.5 ? i : j) { wrongSource += 1 }
        }
        #expect(wrongPosition == 0 && wrongSource == 0)
        // Labels given to the resampler and labels carried afterwards are the same thing.
        let floatLabels = try #require(try Real3DResampling().resample(points, labels: labels.map(Float.init)).labels)
        #expect(floatLabels == result.carried(labels).map(Float.init))
        #expect(result.carried(labels).filter { $0 == 1 }.count > labels.filter { $0 == 1 }.count)
    }

    @Test func farthestPointSamplesCarryTheirOwnLabels() throws {
        let points = Self.cloud(1500, seed: 11)
        let result = try Real3DResampling(target: 400, seed: 2).resample(points)
        #expect(result.labelSources.count == 400 && Set(result.labelSources).count == 400)
        let misplaced = result.labelSources.indices.filter { result.positions[$0] != points[result.labelSources[$0]] }
        #expect(misplaced.isEmpty, "samples \(misplaced.prefix(5)) are not the points they take labels from")
    }

    @Test func largerCloudsAreToppedUpToTheGridExactlyAndSeeded() throws {
        let points = Self.cloud(20_000)
        let a = try Real3DResampling(seed: 3).resample(points)
        let b = try Real3DResampling(seed: 3).resample(points)
        let c = try Real3DResampling(seed: 4).resample(points)
        #expect(a.positions.count == 336 * 336)
        #expect(Array(a.positions.prefix(20_000)) == points)
        #expect(a.positions == b.positions)
        #expect(a.positions != c.positions)
        // A draw without replacement: at most two candidates coincide (i→j and j→i at mirrored ratios).
        var copies: [String: Int] = [:]
        for p in a.positions[20_000...] { copies["\(p)", default: 0] += 1 }
        #expect(copies.values.max()! <= 2)
    }

    @Test func cloudsAboveTheTargetAreFarthestPointSampled() throws {
        let points = Self.cloud(2000)
        let result = try Real3DResampling(target: 300, seed: 5).resample(points)
        #expect(result.positions.count == 300)
        #expect(Set(result.positions.map { "\($0)" }).count == 300)
        // Each pick is the input point farthest from the earlier picks.
        for k in [1, 2, 50, 299] {
            func gap(_ p: SIMD3<Float>) -> Float { result.positions[0..<k].map { ((p - $0) * (p - $0)).sum() }.min()! }
            let farthest = points.map(gap).max()!
            #expect(gap(result.positions[k]) == farthest)
        }
        // Every input point reports through its nearest sample.
        for i in stride(from: 0, to: 2000, by: 97) {
            let d = result.positions.map { ((points[i] - $0) * (points[i] - $0)).sum() }
            #expect(d[result.inputSample[i]] == d.min()!)
        }
    }
}
