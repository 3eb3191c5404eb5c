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
}
