import PointClouds
import Testing
@testable import Rendering

/// Known answers for which points a view sees.
@Suite struct VisibilityTests {
    static let front = ViewSet(name: "front", views: [ViewRotation(.x, 0)])

    @Test func planeFacingTheCameraIsFullyVisible() throws {
        // 100×100 points over ~240 pixels: each point has a pixel of its own.
        let projection = try MultiViewRenderer(views: Self.front).project(TestClouds.plane(100))[0]
        #expect(projection.visibleCount == 100 * 100)
        #expect(Set(projection.pixels).count == 100 * 100)
    }

    @Test func densePlaneIsOnePointPerPixelInTheReferenceAndWholeWithTolerance() throws {
        let cloud = TestClouds.plane(400)
        let reference = try MultiViewRenderer(views: Self.front).project(cloud)[0]
        // The reference keeps exactly one point per occupied pixel: the lowest index among equals.
        let occupied = Set(reference.pixels)
        #expect(reference.visibleCount == occupied.count)
        var firstAt = [Int32: Int]()
        for i in 0..<cloud.count where firstAt[reference.pixels[i]] == nil { firstAt[reference.pixels[i]] = i }
        #expect((0..<cloud.count).allSatisfy { reference.visible[$0] == (firstAt[reference.pixels[$0]] == $0) })
        for test in [VisibilityTest.depthTolerance(1e-4), .renderedDepth(tolerance: 1e-4)] {
            let settings = RenderSettings(visibility: test)
            let projection = try MultiViewRenderer(settings: settings, views: Self.front).project(cloud)[0]
            #expect(projection.visibleCount == cloud.count, "\(test)")
        }
    }

    @Test func sphereBackHalfIsInvisible() throws {
        // Splats wide enough to close the ~2.5-pixel gaps between front points.
        let cloud = TestClouds.sphere(100_000)
        let settings = RenderSettings(splatRadius: 2, visibility: .renderedDepth(tolerance: 0.03))
        let projection = try MultiViewRenderer(settings: settings, views: Self.front).project(cloud)[0]
        // The camera sits d = 1.2124·E = 2.42 from the centre, so its horizon on the unit sphere is
        // z = 1/d ≈ 0.41: the back half and the rim beyond the horizon are hidden, the cap in front seen.
        var hiddenSeen = 0, frontCount = 0, frontSeen = 0
        for (i, p) in cloud.positions.enumerated() {
            if p.z < 0.3 && projection.visible[i] { hiddenSeen += 1 }
            if p.z > 0.6 { frontCount += 1; if projection.visible[i] { frontSeen += 1 } }
        }
        #expect(hiddenSeen == 0)
        #expect(frontSeen == frontCount)
        // The reference's one-point-per-pixel test lets back points show through gaps between front
        // points (dossier §3.1), but only where no nearer point shares their pixel.
        let reference = try MultiViewRenderer(views: Self.front).project(cloud)[0]
        let frontPixels = Set((0..<cloud.count).filter { cloud.positions[$0].z > 0 }.map { reference.pixels[$0] })
        let leaking = (0..<cloud.count).filter { cloud.positions[$0].z < -0.05 && reference.visible[$0] }
        #expect(leaking.allSatisfy { !frontPixels.contains(reference.pixels[$0]) })
    }

    @Test func twoParallelPlanesOnlyTheFrontOneIsVisible() throws {
        // Front plane dense enough to put a point in every pixel it covers; back plane behind it.
        let frontPlane = TestClouds.plane(300, half: 1, z: 0), backPlane = TestClouds.plane(50, half: 0.9, z: -0.5)
        let cloud = TestClouds.joined(frontPlane, backPlane)
        for test in [VisibilityTest.nearestPoint, .depthTolerance(0.01), .renderedDepth(tolerance: 0.01)] {
            let settings = RenderSettings(visibility: test)
            let projection = try MultiViewRenderer(settings: settings, views: Self.front).project(cloud)[0]
            let backSeen = (frontPlane.count..<cloud.count).filter { projection.visible[$0] }.count
            #expect(backSeen == 0, "\(test): \(backSeen) back points visible")
            let frontSeen = (0..<frontPlane.count).filter { projection.visible[$0] }.count
            if test == .nearestPoint {
                #expect(frontSeen == Set(projection.pixels[0..<frontPlane.count]).count)
            } else {
                #expect(frontSeen == frontPlane.count, "\(test)")
            }
        }
    }

    @Test func pointsBehindEachOtherInOnePixelKeepTheNearest() throws {
        // Two points on the view axis: the one with the larger z (nearer the +z camera) wins.
        let cloud = PointCloud(positions: [SIMD3(0, 0, -1), SIMD3(0, 0, 1), SIMD3(1, 1, 0), SIMD3(-1, -1, 0)])
        let projection = try MultiViewRenderer(views: Self.front).project(cloud)[0]
        #expect(projection.pixels[0] == projection.pixels[1])
        #expect(!projection.visible[0] && projection.visible[1] && projection.visible[2] && projection.visible[3])
    }
}
