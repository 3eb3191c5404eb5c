import Foundation
import Testing
@testable import PointClouds

/// Each k-nearest search bounded by the previous query's reach (`KNearestReach`) must return the
/// same neighbours in the same order, and so the same normals bit for bit, as the unbounded search
/// it replaced: grids (many equal distances, where order decides which tie is kept), scattered
/// points, a radius that cuts neighbourhoods short, and exact duplicates.
@Suite struct ReachBoundedSearchTests {
    /// Deterministic points in [0, scale)³ from a 64-bit LCG (no dependency on the code tested).
    static func scattered(_ n: Int, seed: UInt64, scale: Float) -> [SIMD3<Float>] {
        var state = seed
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24) * scale
        }
        return (0..<n).map { _ in SIMD3(next(), next(), next()) }
    }

    /// A 14³ lattice (spacing 0.05) and a wavy 60×60 sheet: equal distances everywhere.
    static let lattice: [SIMD3<Float>] = (0..<14).flatMap { i in (0..<14).flatMap { j in (0..<14).map { k in SIMD3(Float(i), Float(j), Float(k)) * 0.05 } } }
    static let sheet: [SIMD3<Float>] = (0..<60).flatMap { r in (0..<60).map { c in
        let x = Float(c) / 59 - 0.5, y = Float(r) / 59 - 0.5
        return SIMD3(x, y, 0.08 * sin(9 * x) * cos(7 * y))
    } }
    static let clouds: [(name: String, points: [SIMD3<Float>])] = [
        ("lattice", lattice),
        ("sheet", sheet),
        ("scattered", scattered(5000, seed: 7, scale: 1)),
        ("far from the origin", scattered(3000, seed: 11, scale: 0.01).map { $0 + SIMD3(1000, -2000, 500) }),
        ("sheet with copies", sheet + Array(sheet[100..<400]) + Array(repeating: sheet[1234], count: 80)),
    ]

    static func sameBits(_ a: [Float], _ b: [Float]) -> Bool { a.map(\.bitPattern) == b.map(\.bitPattern) }
    /// How many normals differ in any bit (a count, so a failure does not print whole clouds).
    static func differingBits(_ a: [SIMD3<Float>], _ b: [SIMD3<Float>]) -> Int {
        a.count != b.count ? max(a.count, b.count) : zip(a, b).filter { !sameBits([$0.x, $0.y, $0.z], [$1.x, $1.y, $1.z]) }.count
    }

    @Test(arguments: [(8, Float.infinity), (30, .infinity), (50, 0.1), (30, 0.06), (4, 0.0001)])
    func neighbourTablesAreIdentical(k: Int, radius: Float) {
        for (name, points) in Self.clouds {
            let tree = KDTree(points, threads: 2)
            let before = tree.neighborsOfAllPoints(k: k, radius: radius, threads: 2, reuseReach: false)
            let after = tree.neighborsOfAllPoints(k: k, radius: radius, threads: 2, reuseReach: true)
            // Counts, not arrays, in the expectations, so a failure does not print whole tables.
            let differentIndices = zip(before.indices, after.indices).filter { $0 != $1 }.count
            let differentDistances = zip(before.squaredDistances, after.squaredDistances).filter { $0.bitPattern != $1.bitPattern }.count
            #expect(before.indices.count == after.indices.count)
            #expect(differentIndices == 0, "\(name), k \(k), r \(radius)")
            #expect(differentDistances == 0, "\(name), k \(k), r \(radius)")
        }
    }

    /// Independent of both paths: the distances found are the k smallest by brute force.
    @Test func boundedListsHoldTheTrueNearest() {
        let points = Self.scattered(1500, seed: 3, scale: 1), k = 12
        let table = KDTree(points).neighborsOfAllPoints(k: k)
        for i in stride(from: 0, to: points.count, by: 37) {
            let brute = points.map { (($0 - points[i]) * ($0 - points[i])).sum() }.sorted().prefix(k)
            #expect(Array(table.squaredDistances[(i * k)..<((i + 1) * k)]) == Array(brute))
        }
    }

    @Test(arguments: [(30, Float.infinity), (50, 0.1), (30, 0.8), (30, 0.03)])
    func normalsAreBitIdentical(k: Int, radius: Float) {
        for (name, points) in Self.clouds {
            let cloud = PointCloud(positions: points)
            for viewpoint in [nil, SIMD3<Float>(0, 0, 5)] {
                let before = cloud.estimatedNormals(radius: radius, maxNeighbors: k, viewpoint: viewpoint, threads: 2, reuseReach: false)
                let after = cloud.estimatedNormals(radius: radius, maxNeighbors: k, viewpoint: viewpoint, threads: 2, reuseReach: true)
                let differing = Self.differingBits(before, after)
                #expect(differing == 0, "\(name), k \(k), r \(radius)")
            }
        }
    }

    @Test func reachCoversThePreviousNeighbours() {
        var reach = KNearestReach()
        #expect(reach.bound(for: SIMD3(0, 0, 0), within: 9) == 9)  // nothing recorded yet
        reach.record(SIMD3(0, 0, 0), found: 5, k: 5, kth: 4)  // k-th neighbour at distance 2
        // From (3, 0, 0) those neighbours are within 3 + 2 = 5: bound 25 (widened by 0.1%).
        let bound = reach.bound(for: SIMD3(3, 0, 0), within: .infinity)
        #expect(bound >= 25 && bound <= 25.03)
        #expect(reach.bound(for: SIMD3(3, 0, 0), within: 16) == 16)
        reach.record(SIMD3(0, 0, 0), found: 3, k: 5, kth: 4)  // a radius-limited list bounds nothing
        #expect(reach.bound(for: SIMD3(3, 0, 0), within: .infinity) == .infinity)
        #expect(KNearestReach(enabled: false).bound(for: .zero, within: 7) == 7)
    }
}
