import Foundation
import Testing
import TestSupport
@testable import PointClouds

/// Issue 16: thousands of copies of one point made every neighbour search among them scan all
/// copies (O(n²) normals and layers), and filled each copy's neighbourhood with itself.
@Suite struct DuplicatePointTests {
    /// A 40×40 grid on the plane x = 0 (normal ±x) and `copies` copies of one point on that plane.
    static func planeWithCopies(_ copies: Int) -> [SIMD3<Float>] {
        var points: [SIMD3<Float>] = []
        for i in 0..<40 { for j in 0..<40 { points.append(SIMD3(0, Float(i) / 40, Float(j) / 40)) } }
        return points + Array(repeating: SIMD3(0, 0.5, 0.5), count: copies)
    }

    @Test func nearestNeighboursAmongCopiesAreExact() {
        let points = Self.planeWithCopies(5000)
        let tree = KDTree(points)
        let table = tree.neighborsOfAllPoints(k: 8)
        // Every copy's 8 nearest are at distance 0 (copies of it).
        for i in 1600..<points.count {
            for m in 0..<8 {
                #expect(table.squaredDistances[i * 8 + m] == 0)
                #expect(points[Int(table.indices[i * 8 + m])] == points[i])
            }
        }
        // A plane point's list matches brute force (the copies are at one distance, counted once each).
        for i in stride(from: 0, to: 1600, by: 97) {
            let brute = points.map { (($0 - points[i]) * ($0 - points[i])).sum() }.sorted().prefix(8)
            #expect(Array(table.squaredDistances[(i * 8)..<(i * 8 + 8)]) == Array(brute))
        }
    }

    /// Copies count as often as they occur, up to k in all, as in Open3D's search over every copy
    /// (a nearest-resized scan repeats cells; the reference's normals see the repeats): checked
    /// against a brute-force k-nearest search over the full list, copies included.
    @Test func copiesCountAsInABruteForceSearchOverEveryCopy() {
        var distinct: [SIMD3<Float>] = []
        var state: UInt64 = 12345
        func next() -> Float { state = state &* 6364136223846793005 &+ 1442695040888963407; return Float(state >> 40) / Float(1 << 24) }
        for _ in 0..<300 {
            let u = next() * 1.2 - 0.6, v = next() * 1.2 - 0.6
            distinct.append(SIMD3(u, v, 0.4 * u * u - 0.3 * v * v + 0.2 * u * v))
        }
        var points: [SIMD3<Float>] = []
        for (i, p) in distinct.enumerated() { points += Array(repeating: p, count: i % 4 + 1) }
        let k = 12
        let normals = PointCloud(positions: points).estimatedNormals(radius: .infinity, maxNeighbors: k)
        points.withUnsafeBufferPointer { all in
            for i in stride(from: 0, to: points.count, by: 7) {
                let nearest = (0..<points.count).sorted {
                    let da = all[$0] - all[i], db = all[$1] - all[i]
                    let a = (da * da).sum(), b = (db * db).sum()
                    return a != b ? a < b : $0 < $1
                }.prefix(k).map { Int32($0) }
                let expected = nearest.withUnsafeBufferPointer { PointCloud.pcaNormal(all.baseAddress!, $0.baseAddress!, k)! }
                #expect(abs((expected * normals[i]).sum()) > 1 - 1e-4, "point \(i): \(normals[i]) vs brute force \(expected)")
            }
        }
        // A place repeated more than k times has only itself in its neighbourhood: no spread.
        let crowded = PointCloud(positions: Self.planeWithCopies(3000)).estimatedNormals(radius: .infinity, maxNeighbors: 30)
        #expect(crowded.suffix(3000).allSatisfy { $0 == SIMD3(0, 0, 1) })
        #expect(crowded.prefix(40).allSatisfy { abs(abs($0.x) - 1) < 1e-5 })
    }

    @Test func aPointWithNoSpreadGetsTheDefaultNormal() {
        let normals = PointCloud(positions: Array(repeating: SIMD3(1, 2, 3), count: 200)).estimatedNormals(radius: .infinity, maxNeighbors: 30)
        #expect(normals.allSatisfy { $0 == SIMD3(0, 0, 1) })
    }

    @Test func duplicatesAreMergedByPlaceIncludingSignedZero() throws {
        let merged = try #require(DuplicatePoints([SIMD3(0, 1, 2), SIMD3(-0.0, 1, 2), SIMD3(3, 4, 5), SIMD3(0, 1, 2)]))
        #expect(merged.unique == [SIMD3(0, 1, 2), SIMD3(3, 4, 5)])
        #expect(merged.representative == [0, 0, 1, 0])
        #expect(DuplicatePoints([SIMD3(0, 1, 2), SIMD3(0, 1, 2.0000002)]) == nil)
    }

    @Test func extremeCoordinatesAreScaledByAnExactPowerOfTwo() {
        #expect(CoordinateScale.factor(for: [SIMD3(1e6, -3, 0.001)]) == 1)
        #expect(CoordinateScale.factor(for: [SIMD3(1e-9, 0, 0)]) == 1)
        #expect(CoordinateScale.factor(for: [.zero]) == 1)
        for magnitude: Float in [1e30, 3e38, -3.4e38, 1e-30] {
            let points: [SIMD3<Float>] = [SIMD3(magnitude, 0, 0), SIMD3(magnitude / 3, -magnitude / 7, magnitude / 2)]
            let (scaled, factor) = CoordinateScale.rescaled(points)
            let largest = scaled.map { max(abs($0.x), abs($0.y), abs($0.z)) }.max()!
            #expect(largest >= 1 && largest < 2, "\(magnitude)")
            // Exact: only the exponent changed, so ratios are bit for bit those of the input.
            #expect(factor.significandBitPattern == 0 || factor.isSubnormal)
            #expect(scaled[1].x / scaled[0].x == points[1].x / points[0].x)
            let d = scaled[1] - scaled[0]
            #expect((d * d).sum().isFinite)
        }
    }
}
