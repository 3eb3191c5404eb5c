import Foundation
import TensorCore
import Testing
@testable import Synthesis

/// A unit sphere as the parametric grid builds it (the analytic reference for several tests).
func unitSphere(rows: Int = 48) -> SurfaceMesh {
    ParametricGrid.mesh(rows: rows, columns: 2 * rows, topology: .sphere) { u, v in
        let theta = Double(u) * Double.pi, phi = Double(v) * 2 * Double.pi
        return SIMD3(Float(sin(theta) * cos(phi)), Float(sin(theta) * sin(phi)), Float(-cos(theta)))
    }
}

/// Every edge used once in each direction: closed and consistently oriented.
func isWatertight(_ mesh: SurfaceMesh) -> Bool {
    var directed: [Int64: Int] = [:]
    for t in mesh.triangles {
        for (a, b) in [(t.x, t.y), (t.y, t.z), (t.z, t.x)] { directed[Int64(a) << 32 | Int64(b), default: 0] += 1 }
    }
    return directed.allSatisfy { key, count in count == 1 && directed[(key & 0xFFFF_FFFF) << 32 | key >> 32] == 1 }
}

@Suite("meshes of the shape families")
struct MeshGeometryTests {
    @Test("a parametric sphere is closed, faces outwards and encloses 4π/3")
    func sphere() {
        let mesh = unitSphere(rows: 64)
        #expect(isWatertight(mesh))
        let volume = ParametricGrid.signedVolume(mesh) / 6
        #expect(abs(volume / (4 * Float.pi / 3) - 1) < 0.01)
    }

    @Test("a parametric torus is closed, faces outwards and encloses 2π²Rr²")
    func torus() {
        let (major, minor): (Float, Float) = (0.7, 0.25)
        let mesh = ParametricGrid.mesh(rows: 48, columns: 96, topology: .torus) { u, v in
            let psi = Double(u) * 2 * Double.pi, phi = Double(v) * 2 * Double.pi
            let ring = major + minor * Float(cos(psi))
            return SIMD3(ring * Float(cos(phi)), ring * Float(sin(phi)), minor * Float(sin(psi)))
        }
        #expect(isWatertight(mesh))
        let volume = ParametricGrid.signedVolume(mesh) / 6
        #expect(abs(volume / (2 * Float.pi * Float.pi * major * minor * minor) - 1) < 0.01)
    }

    @Test("vertex normals of a sphere point radially", arguments: [0, 100, 1000, 2000])
    func sphereNormals(vertex: Int) {
        let mesh = unitSphere()
        let n = mesh.vertexNormals()[vertex], p = mesh.vertices[vertex]
        #expect((n * p).sum() > 0.999)
    }

    @Test("every family gives closed, outward, unit-sized meshes", arguments: ShapeFamily.allCases)
    func families(family: ShapeFamily) {
        for seed: UInt64 in 0..<3 {
            var rng = SeededRandom(seed: seed)
            let design = ShapeDesign(family: family, rng: &rng)
            let mesh = design.sampleMesh(rng: &rng, resolution: 32)
            #expect(isWatertight(mesh), "\(family) seed \(seed)")
            #expect(ParametricGrid.signedVolume(mesh) > 0, "\(family) seed \(seed)")
            let radius = mesh.boundingSphere().radius
            #expect(radius > 0.4 && radius < 1.6, "\(family) seed \(seed): radius \(radius)")
            #expect(mesh.albedo.allSatisfy { c in (0...1).contains(c.x) && (0...1).contains(c.y) && (0...1).contains(c.z) })
        }
    }

    @Test("a sample mesh depends only on its seed")
    func sampleMeshIsDeterministic() {
        var a = SeededRandom(seed: 4), b = SeededRandom(seed: 4)
        let design = ShapeDesign(family: .blob, rng: &a)
        _ = ShapeDesign(family: .blob, rng: &b)
        let m1 = design.sampleMesh(rng: &a, resolution: 24), m2 = design.sampleMesh(rng: &b, resolution: 24)
        #expect(m1.vertices == m2.vertices && m1.albedo == m2.albedo)
        let m3 = design.sampleMesh(rng: &a, resolution: 24)
        #expect(m3.vertices != m1.vertices)
    }

    @Test("rigid transforms compose like matrices")
    func transforms() {
        let r1 = RigidTransform.rotation(axis: SIMD3(0, 0, 1), angle: Float.pi / 2)
        #expect(length(r1.apply(SIMD3(1, 0, 0)) - SIMD3(0, 1, 0)) < 1e-6)
        var r2 = RigidTransform.rotation(axis: SIMD3(1, 0, 0), angle: Float.pi / 2)
        r2.scale = 2
        r2.translation = SIMD3(1, 2, 3)
        let p = SIMD3<Float>(0.3, -0.7, 0.2)
        #expect(length(r2.after(r1).apply(p) - r2.apply(r1.apply(p))) < 1e-6)
    }
}
