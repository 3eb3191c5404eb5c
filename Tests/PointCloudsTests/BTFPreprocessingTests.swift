import Foundation
import PointADSupport
import Testing
import TestSupport
@testable import PointClouds

/// The MVTec 3D-AD preprocessing against the reference script run with Open3D 0.20
/// (`Fixtures/mvtec-preprocess`, see its README), and its steps against independent oracles.
@Suite struct BTFPreprocessingTests {
    static let scans = ["superquadric0/test/bump", "superquadric0/test/good", "torus0/test/dent", "torus0/test/good"]

    static func read(_ root: String, _ scan: String) throws -> OrganizedScan {
        let dir = TestPaths.fixture("mvtec-preprocess/\(root)/\(scan)")
        return try OrganizedScan.read(xyz: dir.appendingPathComponent("xyz/000.tiff"), rgb: dir.appendingPathComponent("rgb/000.png"),
                                      gt: dir.appendingPathComponent("gt/000.png"))
    }

    /// Kept pixels (a valid point) of an xyz image.
    static func kept(_ xyz: XYZImage) -> Set<Int> { Set(xyz.validPixelIndices) }

    @Test(arguments: scans) func matchesOpen3DReference(scan: String) throws {
        let raw = try Self.read("raw", scan), expected = try Self.read("expected", scan)
        let (ours, report) = try BTFPreprocessing().apply(raw)
        #expect(!report.alreadyPreprocessed)
        #expect(ours.width == expected.width && ours.height == expected.height)
        #expect(ours.gt == expected.gt, "padded gt differs")
        let a = Self.kept(ours.xyz), b = Self.kept(expected.xyz)
        let jaccard = Double(a.intersection(b).count) / Double(a.union(b).count)
        #expect(jaccard >= 0.99, "kept-point Jaccard \(jaccard) for \(scan)")
        // Kept points keep their coordinates and colours bit for bit.
        for pixel in a.intersection(b) {
            #expect(ours.xyz.values[(3 * pixel)..<(3 * pixel + 3)] == expected.xyz.values[(3 * pixel)..<(3 * pixel + 3)])
            #expect(ours.rgb![(3 * pixel)..<(3 * pixel + 3)] == expected.rgb![(3 * pixel)..<(3 * pixel + 3)])
        }
        // Cleared pixels are zero in rgb too, as the reference clears them.
        let size = ours.width * ours.height
        let clearedColour = (0..<size).filter { !a.contains($0) && !b.contains($0) }.filter { ours.rgb![3 * $0] != expected.rgb![3 * $0] }
        #expect(clearedColour.count <= size / 100, "\(clearedColour.count) cleared pixels with a colour the reference does not have")
    }

    @Test func preprocessedScanIsRecognisedAndLeftUnchanged() throws {
        let expected = try Self.read("expected", Self.scans[0])
        let (again, report) = try BTFPreprocessing().apply(expected)
        #expect(report.alreadyPreprocessed)
        #expect(report.edgePoints < 50)
        #expect(again == expected)
    }

    @Test func sameSeedSamePlaneAndOtherSeedsSameMask() throws {
        let raw = try Self.read("raw", Self.scans[2])
        let first = try BTFPreprocessing(seed: 0).apply(raw), repeated = try BTFPreprocessing(seed: 0).apply(raw)
        #expect(first.report.plane == repeated.report.plane)
        #expect(first.scan == repeated.scan)
        for seed in [1, 7, 12345] as [UInt64] {
            let other = try BTFPreprocessing(seed: seed, threads: 1).apply(raw)
            let a = Self.kept(first.scan.xyz), b = Self.kept(other.scan.xyz)
            #expect(Double(a.intersection(b).count) / Double(a.union(b).count) >= 0.999, "seed \(seed)")
        }
    }

    @Test func degenerateEdgeBandIsAClearError() throws {
        // 60 edge points on one spot: every draw of 50 is coincident, so no plane exists.
        var xyz = XYZImage(width: 40, height: 40)
        for x in 0..<30 { xyz[x, 0] = SIMD3(0.1, 0.1, 0.5); xyz[x, 39] = SIMD3(0.1, 0.1, 0.5) }
        #expect(throws: BTFPreprocessing.NoPlaneError.self) { try BTFPreprocessing().apply(OrganizedScan(xyz: xyz)) }
    }

    @Test func paddingIsCentredWithTheOddPixelBottomRight() {
        // 3 wide, 2 high → 5×5 (a multiple of 5 here): 1 column left, 1 right; 1 row top, 2 bottom.
        var xyz = XYZImage(width: 3, height: 2)
        for y in 0..<2 { for x in 0..<3 { xyz[x, y] = SIMD3(Float(x + 1), Float(y + 1), 1) } }
        let gt: [UInt8] = [0, 255, 0, 253, 0, 0]
        let padded = OrganizedScan(xyz: xyz, gt: gt).paddedToSquare(side: 5)
        #expect(padded.xyz[1, 1] == SIMD3(1, 1, 1) && padded.xyz[3, 2] == SIMD3(3, 2, 1))
        #expect(padded.xyz.validPixelIndices == [6, 7, 8, 11, 12, 13])
        #expect(padded.gt! == [0, 0, 0, 0, 0,  0, 0, 255, 0, 0,  0, 253, 0, 0, 0,  0, 0, 0, 0, 0,  0, 0, 0, 0, 0])
        #expect(BTFPreprocessing.roundUp(800, to: 100) == 800 && BTFPreprocessing.roundUp(601, to: 100) == 700 && BTFPreprocessing.roundUp(1, to: 100) == 100)
    }

    @Test func mostFrequentLabelCountsNoiseAndBreaksTiesLow() {
        #expect(DensityClustering.mostFrequentLabel([-1, -1, 0, 1, 1]) == -1)
        #expect(DensityClustering.mostFrequentLabel([2, 2, 0, 0, 1]) == 0)
        #expect(DensityClustering.mostFrequentLabel([-1, 0, 0, 0]) == 0)
    }

    /// Open3D's DBSCAN loop written out plainly (all-pairs neighbourhoods), the oracle for the grid version.
    static func referenceDBSCAN(_ points: [SIMD3<Float>], eps: Double, minPoints: Int) -> [Int32] {
        let n = points.count
        let neighbours = (0..<n).map { i in (0..<n).filter { j in
            let d = SIMD3<Double>(points[i]) - SIMD3<Double>(points[j]); return (d * d).sum() < eps * eps } }
        var labels = [Int32](repeating: -2, count: n)
        var cluster: Int32 = 0
        for i in 0..<n where labels[i] == -2 {
            if neighbours[i].count < minPoints { labels[i] = -1; continue }
            labels[i] = cluster
            var queue = neighbours[i]
            while let j = queue.popLast() {
                if labels[j] == -1 { labels[j] = cluster }
                if labels[j] != -2 { continue }
                labels[j] = cluster
                if neighbours[j].count >= minPoints { queue += neighbours[j] }
            }
            cluster += 1
        }
        return labels
    }

    @Test func gridDBSCANEqualsThePlainAlgorithm() {
        var state: UInt64 = 42
        func uniform() -> Float { Float(splitMix64(&state) >> 11) / Float(1 << 53) }
        // Three blobs of different density, a sparse scatter, and a thin bridge between two blobs.
        var points: [SIMD3<Float>] = []
        for (centre, spread, count) in [(SIMD3<Float>(0, 0, 0), Float(0.01), 500), (SIMD3(0.05, 0, 0), 0.006, 300), (SIMD3(0, 0.06, 0.01), 0.02, 200)] {
            for _ in 0..<count { points.append(centre + SIMD3(uniform(), uniform(), uniform()) * spread) }
        }
        for _ in 0..<150 { points.append(SIMD3(uniform(), uniform(), uniform()) * 0.1) }
        for k in 0..<20 { points.append(SIMD3(0.01 + Float(k) * 0.002, 0.005, 0.005)) }
        for (eps, minPoints) in [(0.006, 30), (0.004, 10), (0.012, 5)] {
            let expected = Self.referenceDBSCAN(points, eps: eps, minPoints: minPoints)
            #expect(DensityClustering.dbscan(points, eps: eps, minPoints: minPoints, threads: 2) == expected, "eps \(eps) min \(minPoints)")
        }
    }

    @Test func ransacRecoversATiltedPlaneDespiteOutliers() {
        var state: UInt64 = 9
        func uniform() -> Double { Double(splitMix64(&state) >> 11) / Double(1 << 53) }
        let normal = SIMD3<Double>(0.1, -0.2, 1) / (SIMD3<Double>(0.1, -0.2, 1) * SIMD3<Double>(0.1, -0.2, 1)).sum().squareRoot()
        var points: [SIMD3<Float>] = []
        for _ in 0..<3000 {
            let x = uniform() * 0.2 - 0.1, y = uniform() * 0.2 - 0.1
            let z = (0.6 - normal.x * x - normal.y * y) / normal.z + (uniform() - 0.5) * 0.001
            points.append(SIMD3<Float>(Float(x), Float(y), Float(z)))
        }
        // Few outliers, as in an edge band: a 50-point draw is often clean (0.985^50 ≈ 0.47).
        for _ in 0..<45 { points.append(SIMD3<Float>(Float(uniform() * 0.2), Float(uniform() * 0.2), Float(0.4 + uniform() * 0.1))) }
        let fit = PlaneRANSAC().fit(points)!
        let found = SIMD3(fit.plane.a, fit.plane.b, fit.plane.c) * (fit.plane.c < 0 ? -1 : 1)
        #expect(abs((found * normal).sum()) > 0.99999)
        #expect(abs(abs(fit.plane.d) - 0.6) < 0.0005)
        #expect(fit.inliers.count == 3000, "\(fit.inliers.count) inliers of 3000 plane points")
    }
}
