import Foundation
import Testing
@testable import Rendering

@Suite struct SpatialSmoothingTests {
    /// Ten points on a line one unit apart, a single spike at point 5, k = 3, σ = 1: each result is
    /// the Gaussian-weighted mean over the point and its two neighbours, worked out by hand.
    @Test func spikeSpreadsToItsNeighbours() {
        let positions = (0..<10).map { SIMD3<Float>(Float($0), 0, 0) }
        var scores = [Float](repeating: 0, count: 10)
        scores[5] = 1
        let result = SpatialSmoothing.smooth(scores, positions: positions, neighbours: 3, sigma: 1)
        let w = Float(exp(-0.5))
        #expect(abs(result[5] - 1 / (1 + 2 * w)) < 1e-6)
        #expect(abs(result[4] - w / (1 + 2 * w)) < 1e-6 && abs(result[6] - w / (1 + 2 * w)) < 1e-6)
        #expect(result[3] == 0 && result[7] == 0 && result[0] == 0)
    }

    @Test func constantScoresStayConstantWithTheAutomaticSigma() {
        let cloud = TestClouds.sphere(2000)
        let result = SpatialSmoothing.smooth([Float](repeating: 0.25, count: 2000), positions: cloud.positions)
        #expect(result.allSatisfy { abs($0 - 0.25) < 1e-6 })
    }
}
