import Foundation
import TensorCore
import Testing
@testable import Synthesis

/// A sphere in front of a pinhole camera has an exact answer: which pixels see it, and where.
@Suite("depth-scan rendering")
struct DepthRendererTests {
    static let radius: Float = 0.03, distanceToCenter: Float = 0.3
    static let camera = DepthCamera(width: 120, height: 100, focal: 500)

    /// The unit sphere scaled to `radius` and put on the optical axis; the near cap (z < centre −
    /// r/2) labelled as a defect.
    static func scene() -> SurfaceMesh {
        var mesh = unitSphere(rows: 96)
        mesh.apply(RigidTransform(scale: radius, translation: SIMD3(0, 0, distanceToCenter)))
        for i in mesh.vertices.indices where mesh.vertices[i].z < distanceToCenter - radius / 2 {
            mesh.defect[i] = DefectKind.bump.groundTruthValue
        }
        return mesh
    }

    static func render() -> DepthScan {
        var renderer = DepthRenderer(camera: camera, depthNoise: 0)
        renderer.grazingCosine = 0
        var rng = SeededRandom(seed: 1)
        return renderer.render(scene(), rng: &rng)
    }

    @Test("measured points lie on the sphere and project into their own pixel")
    func pointsOnSurface() {
        let scan = Self.render()
        let center = SIMD3<Float>(0, 0, Self.distanceToCenter)
        var checked = 0
        for y in 0..<scan.height {
            for x in 0..<scan.width {
                let i = 3 * (y * scan.width + x)
                let p = SIMD3(scan.xyz[i], scan.xyz[i + 1], scan.xyz[i + 2])
                guard p != .zero else { continue }
                // A flat triangle of a 96-ring grid (legs πr/96) sags at most ρ²/2r below the
                // sphere, ρ its circumradius (half the hypotenuse): 2.7e-4·r.
                #expect(abs(length(p - center) - Self.radius) < Self.radius * 3e-4, "pixel \(x),\(y)")
                let q = Self.camera.project(p)
                #expect(Int(q.x.rounded(.down)) == x && Int(q.y.rounded(.down)) == y, "pixel \(x),\(y) → \(q)")
                // Only the near half is visible.
                #expect(p.z < Self.distanceToCenter)
                checked += 1
            }
        }
        #expect(checked == scan.validPixelCount)
    }

    @Test("the silhouette covers the analytic disc of the projected sphere")
    func silhouetteArea() {
        let scan = Self.render()
        // A sphere seen from distance d subtends a cone of half-angle asin(r/d); on the image
        // plane (near the axis) that is a disc of radius f·tan(asin(r/d)).
        let d = Self.distanceToCenter, r = Self.radius
        let discRadius = Self.camera.focal * r / (d * d - r * r).squareRoot()
        let expected = Float.pi * discRadius * discRadius
        #expect(abs(Float(scan.validPixelCount) / expected - 1) < 0.03, "\(scan.validPixelCount) vs \(expected)")
    }

    @Test("gt marks exactly the pixels whose surface point lies in the labelled cap")
    func groundTruthFollowsLabels() {
        let scan = Self.render()
        var mismatches = 0, labelled = 0
        for p in 0..<(scan.width * scan.height) where scan.xyz[3 * p + 2] != 0 {
            let inCap = scan.xyz[3 * p + 2] < Self.distanceToCenter - Self.radius / 2
            if (scan.groundTruth[p] == DefectKind.bump.groundTruthValue) != inCap { mismatches += 1 }
            if inCap { labelled += 1 }
        }
        // Labels come from the nearest vertex, so only pixels along the cap's rim may disagree.
        #expect(labelled > 500)
        #expect(Double(mismatches) < 0.05 * Double(labelled))
        #expect(scan.groundTruth.allSatisfy { $0 == 0 || $0 == DefectKind.bump.groundTruthValue })
    }

    @Test("background pixels are (0,0,0) with dark rgb; object pixels are shaded")
    func background() {
        let scan = Self.render()
        #expect(scan.xyz[0] == 0 && scan.xyz[1] == 0 && scan.xyz[2] == 0)
        #expect(scan.rgb[0] < 40)
        let middle = 3 * (50 * scan.width + 60)
        #expect(scan.xyz[middle + 2] > 0 && scan.rgb[middle] > 60)
    }
}

@Suite("surface sampling")
struct SurfaceSamplerTests {
    @Test("points are uniform over the surface and inherit labels")
    func uniformSphere() {
        var mesh = unitSphere(rows: 64)
        for i in mesh.vertices.indices where mesh.vertices[i].z > 0.8 { mesh.defect[i] = 255 }
        var rng = SeededRandom(seed: 3)
        let cloud = SurfaceSampler.sample(mesh, count: 20_000, noise: 0, rng: &rng)
        #expect(cloud.points.count == 20_000)
        #expect(cloud.points.allSatisfy { abs(length($0) - 1) < 2e-3 })
        // Archimedes: a zone's area is proportional to its height, so z is uniform on [-1, 1].
        let upper = cloud.points.filter { $0.z > 0.5 }.count
        #expect(abs(Double(upper) / 20_000 - 0.25) < 0.015)
        let labelledFraction = Double(cloud.anomalousCount) / 20_000
        #expect(abs(labelledFraction - 0.1) < 0.015)
        for (p, label) in zip(cloud.points, cloud.labels) where abs(p.z - 0.8) > 0.05 {
            #expect((label == 1) == (p.z > 0.8))
        }
    }

    @Test("points inside added material are not sampled")
    func occluders() {
        var mesh = unitSphere(rows: 32)
        mesh.occluders = [Ellipsoid(center: SIMD3(0, 0, 1), axes: (SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1)), radii: SIMD3(repeating: 0.5))]
        var rng = SeededRandom(seed: 5)
        let cloud = SurfaceSampler.sample(mesh, count: 5_000, noise: 0, rng: &rng)
        #expect(cloud.points.count == 5_000)
        #expect(!cloud.points.contains { length($0 - SIMD3(0, 0, 1)) < 0.49 })
    }
}
