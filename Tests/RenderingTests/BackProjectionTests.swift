import PointClouds
import PointADSupport
import Testing
@testable import Rendering

/// Back-projection against hand-worked examples.
@Suite struct BackProjectionTests {
    /// Three views of four points on a 2×2 grid; map k holds 10k + pixel.
    static let maps: [[Float]] = (0..<3).map { k in (0..<4).map { Float(10 * k + $0) } }

    @Test func meanOverTheViewsThatSeeEachPoint() throws {
        let projections = [
            ViewProjection(size: 2, pixels: [0, 1, 2, 3], visible: [true, true, false, true]),
            ViewProjection(size: 2, pixels: [3, 2, 1, 0], visible: [true, false, false, true]),
            ViewProjection(size: 2, pixels: [1, 1, 1, 1], visible: [false, true, false, false]),
        ]
        let positions: [SIMD3<Float>] = [SIMD3(0, 0, 0), SIMD3(1, 0, 0), SIMD3(5, 0, 0), SIMD3(4.5, 0, 0)]
        let scores = try BackProjection.pointScores(maps: Self.maps, projections: projections, positions: positions)
        // point 0: views 0 (0) and 1 (13) → 6.5; point 1: views 0 (1) and 2 (21) → 11;
        // point 3: views 0 (3) and 1 (10) → 6.5; point 2 is seen by none: nearest seen point is 3.
        #expect(scores == [6.5, 11, 6.5, 6.5])
    }

    @Test func referencePolicyBorrowsTheFlagsOfTheNearestSeenIndex() throws {
        let projections = [
            ViewProjection(size: 2, pixels: [0, 1, 2, 3], visible: [true, true, false, true]),
            ViewProjection(size: 2, pixels: [3, 2, 1, 0], visible: [true, false, false, false]),
            ViewProjection(size: 2, pixels: [1, 1, 1, 1], visible: [false, false, false, false]),
        ]
        let scores = try BackProjection.pointScores(maps: Self.maps, projections: projections, unseen: .nearestSeenIndex(grid: nil))
        // Point 2's neighbours 1 and 3 are both one index away: the larger (3) wins; 3 is seen in
        // view 0 only, so point 2 takes view 0's map at its own pixel 2 → 2.
        #expect(scores[2] == 2)
        #expect(scores[0] == 6.5 && scores[1] == 1 && scores[3] == 3)
    }

    @Test func indexOrderSearchWrapsAroundAndPrefersTheLaterPoint() {
        let seen = [false, true, false, false, false, false, true, false]
        let donors = BackProjection.nearestSeenInIndexOrder(seen: seen, keys: Array(0..<8), period: 8)
        // 0 → 1 (1 ahead; 6 is 2 behind, wrapping); 3 → 1 (2 behind; 6 is 3 ahead);
        // 4 → 6 (2 ahead; 1 is 3 behind); 7 → 6 (1 behind; 1 is 2 ahead, wrapping).
        #expect(donors == [1, 1, 1, 1, 6, 6, 6, 6])
        // On an organised grid the distance counts grid cells, not points.
        let grid = BackProjection.nearestSeenInIndexOrder(seen: [true, false, true], keys: [0, 90, 100], period: 200)
        #expect(grid == [0, 2, 2])
    }

    @Test func mismatchedInputsAreUsageErrors() {
        let p = ViewProjection(size: 2, pixels: [0], visible: [true])
        #expect(throws: UsageError.self) { try BackProjection.pointScores(maps: [[0, 0, 0]], projections: [p]) }
        #expect(throws: UsageError.self) { try BackProjection.pointScores(maps: [], projections: [p]) }
        let unseen = ViewProjection(size: 2, pixels: [0, 1], visible: [true, false])
        #expect(throws: UsageError.self) { try BackProjection.pointScores(maps: [[0, 0, 0, 0]], projections: [unseen]) }
    }

    @Test func renderedViewsBackProjectTheirOwnPixels() throws {
        // A map that encodes the pixel index makes each point's score the mean of its own pixels.
        let cloud = TestClouds.sphere(3000)
        let projections = try MultiViewRenderer(views: .pointAD).project(cloud)
        let maps = projections.map { _ in (0..<(336 * 336)).map { Float($0 % 336) } }
        let scores = try BackProjection.pointScores(maps: maps, projections: projections, positions: cloud.positions)
        for i in 0..<cloud.count {
            let seenIn = projections.filter { $0.visible[i] }
            guard !seenIn.isEmpty else { continue }
            let expected = seenIn.map { Float($0.column(i)) }.reduce(0, +) / Float(seenIn.count)
            #expect(abs(scores[i] - expected) < 1e-3)
        }
    }
}
