import Testing
@testable import Rendering

@Suite struct NormalEstimationTests {
    @Test func planeNormalsAreAlongZ() throws {
        let normals = try NormalEstimation.estimate(TestClouds.plane(30).positions, neighbours: 12)
        #expect(normals.allSatisfy { abs(abs($0.z) - 1) < 1e-5 })
    }

    @Test func sphereNormalsAreRadial() throws {
        let cloud = TestClouds.sphere(4000)
        let normals = try NormalEstimation.estimate(cloud.positions, neighbours: 20)
        for (p, n) in zip(cloud.positions, normals) { #expect(abs((p * n).sum()) > 0.99) }
    }

    @Test func closedFormEigenvectorAgainstKnownMatrices() {
        // diag(3, 1, 2): smallest eigenvalue 1 along y.
        #expect(abs(abs(SymmetricEigen3.smallestEigenvector(3, 0, 0, 1, 0, 2).y) - 1) < 1e-12)
        // [[2 1 0] [1 2 0] [0 0 5]]: eigenvalues 1, 3, 5; smallest along (1, −1, 0)/√2.
        let v = SymmetricEigen3.smallestEigenvector(2, 1, 0, 2, 0, 5)
        #expect(abs(abs(v.x) - 0.5.squareRoot()) < 1e-9 && abs(v.x + v.y) < 1e-9 && abs(v.z) < 1e-9)
    }

    @Test func neighbourGridMatchesBruteForce() {
        let points: [SIMD3<Float>] = (0..<500).map { i in
            let x = Float((i * 37) % 101) / 10, y = Float((i * 53) % 97) / 13
            return SIMD3(x, y, Float(i % 7))
        }
        let grid = NeighbourGrid(points)
        for q in stride(from: 0, to: 500, by: 7) {
            let found = grid.nearest(points[q], k: 9).map { $0.index }
            func distance(_ i: Int) -> Float {
                let d = points[i] - points[q]
                return (d * d).sum()
            }
            let brute = (0..<500).sorted { distance($0) < distance($1) || (distance($0) == distance($1) && $0 < $1) }
            #expect(found == Array(brute.prefix(9)))
        }
    }
}
