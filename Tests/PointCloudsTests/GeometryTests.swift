import CLAPACKE
import Foundation
import Testing
@testable import PointClouds

/// k-d tree, normals, downsampling and normalisation against brute-force references and LAPACK.
@Suite struct GeometryTests {
    static func randomPoints(_ n: Int, seed: UInt64) -> [SIMD3<Float>] {
        var rng = SplitMix64(seed: seed)
        return (0..<n).map { _ in SIMD3(Float.random(in: -1...1, using: &rng), Float.random(in: -1...1, using: &rng), Float.random(in: -0.3...0.3, using: &rng)) }
    }

    static func squaredDistance(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> Float {
        let dx = a.x - b.x, dy = a.y - b.y, dz = a.z - b.z
        return dx * dx + dy * dy + dz * dz
    }

    /// Brute force: all points sorted by (distance, index).
    static func bruteForce(_ points: [SIMD3<Float>], _ q: SIMD3<Float>, k: Int, radius: Float = .infinity) -> [(Int, Float)] {
        let all = points.indices.map { ($0, squaredDistance(points[$0], q)) }.filter { $0.1 <= radius * radius }
        return Array(all.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.prefix(k))
    }

    @Test(arguments: [1, 5, 16, 40])
    func kNearestMatchesBruteForce(k: Int) {
        let points = Self.randomPoints(3000, seed: UInt64(k))
        let tree = KDTree(points, leafSize: 7)
        let queries = Self.randomPoints(200, seed: 99) + Array(points.prefix(50))
        for q in queries {
            let got = tree.nearest(to: q, k: k)
            let expected = Self.bruteForce(points, q, k: k)
            #expect(got.map(\.index) == expected.map(\.0))
            #expect(got.map(\.squaredDistance) == expected.map(\.1))
        }
    }

    @Test func allPointsTableAndHybridRadius() {
        let points = Self.randomPoints(6000, seed: 3)
        let tree = KDTree(points, threads: 2)
        let table = tree.neighborsOfAllPoints(k: 12, radius: 0.08, threads: 2)
        for i in stride(from: 0, to: points.count, by: 37) {
            let expected = Self.bruteForce(points, points[i], k: 12, radius: 0.08)
            #expect(table.neighbors(of: i).map(Int.init) == expected.map(\.0), "point \(i)")
            #expect(table.neighbors(of: i).first.map(Int.init) == i)
        }
        let q = SIMD3<Float>(0.1, -0.2, 0)
        let inside = Set(tree.within(radius: 0.15, of: q))
        #expect(inside == Set(points.indices.filter { Self.squaredDistance(points[$0], q) <= 0.15 * 0.15 }))
    }

    @Test func largeTreeBuiltInParallelIsExact() {
        let points = Self.randomPoints(120_000, seed: 8)
        let tree = KDTree(points, threads: 2)
        for q in Self.randomPoints(30, seed: 9) {
            #expect(tree.nearest(to: q, k: 8).map(\.index) == Self.bruteForce(points, q, k: 8).map(\.0))
        }
    }

    @Test func duplicatePointsAndTinyTrees() {
        let same = [SIMD3<Float>](repeating: SIMD3(1, 2, 3), count: 100)
        let tree = KDTree(same, leafSize: 4)
        #expect(tree.nearest(to: SIMD3(1, 2, 3), k: 5).count == 5)
        #expect(KDTree([], leafSize: 4).nearest(to: .zero, k: 3).isEmpty)
        #expect(KDTree([SIMD3(0, 0, 1)]).nearest(to: .zero, k: 3).map(\.index) == [0])
    }

    /// LAPACK's dsyev as the reference for the closed-form smallest eigenvector.
    @Test func eigenvectorMatchesLAPACK() {
        var rng = SplitMix64(seed: 21)
        for trial in 0..<300 {
            // Random symmetric PSD matrix = B·Bᵀ, sometimes nearly rank 2 (a plane of points).
            var b = (0..<9).map { _ in Double.random(in: -1...1, using: &rng) }
            if trial % 3 == 0 { for r in 0..<3 { b[r * 3 + 2] *= 1e-3 } }
            var a = [Double](repeating: 0, count: 9)
            for i in 0..<3 { for j in 0..<3 { for k in 0..<3 { a[i * 3 + j] += b[i * 3 + k] * b[j * 3 + k] } } }
            let v = SymmetricEigen3.smallestEigenvector(a[0], a[1], a[2], a[4], a[5], a[8])
            var m = a, w = [Double](repeating: 0, count: 3)
            let info = LAPACKE_dsyev(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "U")), 3, &m, 3, &w)
            #expect(info == 0)
            let reference = SIMD3(m[0], m[3], m[6])  // column 0: eigenvector of the smallest eigenvalue
            let cosine = abs((v * reference).sum())
            // Agreement is limited by the eigen-gap: require it where the gap is not tiny.
            if (w[1] - w[0]) / max(w[2], 1e-12) > 1e-6 { #expect(cosine > 1 - 1e-6, "trial \(trial): \(v) vs \(reference)") }
        }
    }

    @Test func normalsOfAPlaneAndASphere() {
        var rng = SplitMix64(seed: 4)
        // Plane z = 0.3x − 0.2y + 1: normal ∝ (−0.3, 0.2, 1).
        let plane = (0..<4000).map { _ -> SIMD3<Float> in
            let x = Float.random(in: -1...1, using: &rng), y = Float.random(in: -1...1, using: &rng)
            return SIMD3(x, y, 0.3 * x - 0.2 * y + 1)
        }
        let expected = SIMD3<Float>(-0.3, 0.2, 1) / (SIMD3<Float>(-0.3, 0.2, 1) * SIMD3<Float>(-0.3, 0.2, 1)).sum().squareRoot()
        let normals = PointCloud(positions: plane).estimatedNormals(radius: 0.2, maxNeighbors: 30, viewpoint: SIMD3(0, 0, 10))
        for n in normals { #expect((n * expected).sum() > 0.9999) }
        // Unit sphere, oriented towards the centre: the normal is −p.
        let sphere = (0..<5000).map { _ -> SIMD3<Float> in
            var v = SIMD3(Float.random(in: -1...1, using: &rng), Float.random(in: -1...1, using: &rng), Float.random(in: -1...1, using: &rng))
            while (v * v).sum() < 0.01 { v = SIMD3(0.5, 0.5, 0.5) }
            return v / (v * v).sum().squareRoot()
        }
        let sphereNormals = PointCloud(positions: sphere).estimatedNormals(radius: 0.15, maxNeighbors: 20, viewpoint: .zero)
        var worst: Float = 1
        for (p, n) in zip(sphere, sphereNormals) { worst = min(worst, -(p * n).sum()) }
        #expect(worst > 0.99)
        // Isolated points (fewer than 3 neighbours within the radius) get (0, 0, 1), as in Open3D.
        let sparse = PointCloud(positions: [SIMD3(0, 0, 0), SIMD3(5, 0, 0), SIMD3(0, 5, 0)])
        #expect(sparse.estimatedNormals(radius: 1, maxNeighbors: 10) == [SIMD3(0, 0, 1), SIMD3(0, 0, 1), SIMD3(0, 0, 1)])
    }

    @Test func voxelDownsamplingAveragesPerVoxel() {
        // Box min (0,0,0), voxel 1 → grid anchored at −0.5: cells [−0.5, 0.5), [0.5, 1.5), …
        let cloud = PointCloud(positions: [SIMD3(0, 0, 0), SIMD3(0.4, 0.2, 0), SIMD3(2, 2, 2), SIMD3(0.2, 0.4, 0.3), SIMD3(2.2, 1.9, 2.1)],
                               scalars: ["label": [0, 1, 1, 0, 1]])
        let down = cloud.voxelDownsampled(voxelSize: 1)
        #expect(down.count == 2)
        #expect(abs(down.positions[0].x - 0.2) < 1e-6 && abs(down.positions[0].y - 0.2) < 1e-6 && abs(down.positions[0].z - 0.1) < 1e-6)
        #expect(abs(down.positions[1].x - 2.1) < 1e-6 && abs(down.positions[1].y - 1.95) < 1e-6 && abs(down.positions[1].z - 2.05) < 1e-6)
        #expect(down.scalars["label"]!.map { ($0 * 3).rounded() / 3 } == [Float(1) / 3, 1].map { ($0 * 3).rounded() / 3 })
    }

    /// Reference: recompute each step's farthest point from scratch (ties: lowest index).
    static func farthestPointReference(_ points: [SIMD3<Float>], _ m: Int, start: Int) -> [Int] {
        var reference = [start]
        while reference.count < m {
            var best = -1
            var bestDistance: Float = -1
            for i in points.indices {
                let d = reference.map { squaredDistance(points[i], points[$0]) }.min()!
                if d > bestDistance { bestDistance = d; best = i }
            }
            reference.append(best)
        }
        return reference
    }

    @Test func farthestPointSamplingMatchesDefinition() {
        let points = Self.randomPoints(2000, seed: 12)
        let cloud = PointCloud(positions: points)
        let chosen = cloud.farthestPointSampleIndices(60, start: 7)
        #expect(chosen.count == 60 && chosen[0] == 7 && Set(chosen).count == 60)
        #expect(chosen == Self.farthestPointReference(points, 60, start: 7))
        // A lattice is full of equal distances: the tie rule decides every step.
        let lattice = (0..<1000).map { (i: Int) -> SIMD3<Float> in SIMD3<Float>(Float(i % 10), Float(i / 10 % 10), Float(i / 100)) }
        #expect(PointCloud(positions: lattice).farthestPointSampleIndices(30, start: 555) == Self.farthestPointReference(lattice, 30, start: 555))
        #expect(cloud.farthestPointSampleIndices(2500) == Array(0..<2000))
        #expect(cloud.subset([3, 1]).positions == [points[3], points[1]])
    }

    @Test func centringAndScaling() throws {
        let cloud = PointCloud(positions: [SIMD3(1, 2, 3), SIMD3(3, 2, 1), SIMD3(2, 5, 2)])
        #expect(cloud.centroid == SIMD3(2, 3, 2))
        #expect(cloud.centeredAtMean().positions == [SIMD3(-1, -1, 1), SIMD3(1, -1, -1), SIMD3(0, 2, 0)])
        let unit = cloud.normalizedToUnitSphere()
        let radius = unit.positions.map { ($0 * $0).sum().squareRoot() }.max()!
        #expect(abs(radius - 1) < 1e-6)
        let box = try #require(cloud.boundingBox)
        #expect(box.min == SIMD3(1, 2, 1) && box.max == SIMD3(3, 5, 3) && box.center == SIMD3(2, 3.5, 2))
    }
}
