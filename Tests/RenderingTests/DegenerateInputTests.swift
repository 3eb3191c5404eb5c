import PointADSupport
import PointClouds
import Testing
@testable import Rendering

/// Inputs that could divide by zero: a defined result or a clear error, never a crash.
@Suite struct DegenerateInputTests {
    @Test func onePointRendersAtTheCentre() throws {
        // Head-light shading: Open3D's highlights would paint a point facing the camera white.
        let view = try MultiViewRenderer(settings: RenderSettings(shading: .headLight), views: .pointAD)
            .render(PointCloud(positions: [SIMD3(1, 2, 3)]))
        for v in view {
            #expect(v.projection.visible == [true])
            #expect(abs(v.projection.column(0) - 168) <= 1 && abs(v.projection.row(0) - 168) <= 1)
            let image = try #require(v.image)
            #expect(image.pixels.allSatisfy { $0.isFinite })
            #expect(image.bytes()[Int(v.projection.pixels[0]) * 3] < 255)
        }
    }

    @Test func identicalPointsShowOneVisiblePoint() throws {
        let cloud = PointCloud(positions: [SIMD3<Float>](repeating: SIMD3(0.5, 0.5, 0.5), count: 50))
        for v in try MultiViewRenderer().render(cloud) {
            #expect(v.projection.visible.enumerated().allSatisfy { $0.element == ($0.offset == 0) })
            #expect(try #require(v.image).pixels.allSatisfy { $0.isFinite })
        }
        let tolerant = MultiViewRenderer(settings: RenderSettings(visibility: .depthTolerance(0.01)))
        #expect(try tolerant.project(cloud).allSatisfy { $0.visibleCount == 50 })
    }

    @Test func collinearPointsHaveNoPlaneButRender() throws {
        let line = PointCloud(positions: (0..<100).map { SIMD3(Float($0) / 10, 0, 0) })
        // No plane through a line: PointClouds' PCA gives Open3D's fallback, a finite unit normal.
        #expect(try NormalEstimation.estimate(line.positions).allSatisfy { abs(($0 * $0).sum() - 1) < 1e-5 })
        for v in try MultiViewRenderer().render(line) {
            #expect(try #require(v.image).pixels.allSatisfy { $0.isFinite })
            #expect(v.projection.visibleCount > 0)
        }
    }

    @Test func nonFiniteCoordinatesAreRejectedByName() {
        let cloud = PointCloud(positions: [SIMD3(0, 0, 0), SIMD3(.nan, 1, 2)], source: "scan.ply")
        #expect(throws: FileError("scan.ply", "point 1 has a non-finite coordinate (nan, 1.0, 2.0)")) {
            try MultiViewRenderer().render(cloud)
        }
        let infinite = PointCloud(positions: [SIMD3(0, .infinity, 0)])
        #expect(throws: FileError.self) { try MultiViewRenderer().project(infinite) }
    }

    @Test func emptyCloudsAndMismatchedArraysAreErrors() {
        #expect(throws: FileError.self) { try MultiViewRenderer().render(PointCloud(positions: [])) }
        let two = PointCloud(positions: [SIMD3(0, 0, 0), SIMD3(1, 0, 0)], normals: [SIMD3(0, 0, 1)])
        #expect(throws: FileError.self) { try MultiViewRenderer().render(two) }
        let ok = PointCloud(positions: [SIMD3(0, 0, 0), SIMD3(1, 0, 0)])
        #expect(throws: FileError.self) { try MultiViewRenderer().render(ok, labels: [1]) }
        #expect(throws: FileError.self) { try MultiViewRenderer(settings: RenderSettings(size: 0)).project(ok) }
        #expect(throws: FileError.self) { try MultiViewRenderer(views: ViewSet(name: "none", views: [])).project(ok) }
    }
}
