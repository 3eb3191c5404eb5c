import Foundation
import TensorCore
import Testing
@testable import Synthesis

/// Defects on a unit sphere, whose intact surface is known exactly: |v| = 1 everywhere.
@Suite("defect injection")
struct DefectInjectorTests {
    /// The sphere with one defect of `kind` at a vertex on the equator, and the intact copy.
    static func injected(_ kind: DefectKind, seed: UInt64 = 1) -> (intact: SurfaceMesh, mesh: SurfaceMesh, center: Int, labelled: Int) {
        let intact = unitSphere(rows: 96)
        var mesh = intact
        let center = 48 * 192 + 17  // ring 48 of 96: the equator
        var rng = SeededRandom(seed: seed)
        let labelled = DefectInjector.inject(kind, at: center, into: &mesh, normals: intact.vertexNormals(), scale: 1, rng: &rng)
        return (intact, mesh, center, labelled)
    }

    @Test("labels count what was labelled, with the kind's gt value", arguments: DefectKind.allCases)
    func labelsMatchCount(kind: DefectKind) {
        let (_, mesh, _, labelled) = Self.injected(kind)
        #expect(labelled > 0)
        #expect(mesh.defect.filter { $0 == kind.groundTruthValue }.count == labelled)
        #expect(mesh.defect.allSatisfy { $0 == 0 || $0 == kind.groundTruthValue })
    }

    @Test("bumps push out, dents, cracks, holes and chips cut in; unlabelled vertices barely move",
          arguments: [DefectKind.bump, .dent, .crack, .hole, .missing])
    func displacementDirection(kind: DefectKind) {
        for seed: UInt64 in 1...4 {
            let (intact, mesh, center, _) = Self.injected(kind, seed: seed)
            let c = intact.vertices[center]
            var largest: Float = 0
            for i in mesh.vertices.indices {
                let radial = length(mesh.vertices[i]) - 1
                if mesh.defect[i] != 0 {
                    #expect(kind == .bump ? radial > 0.001 : radial < -0.001, "\(kind) seed \(seed) vertex \(i): \(radial)")
                    // Every change stays near the defect centre (the largest reach is a 0.9-long crack).
                    #expect(distance(intact.vertices[i], c) < 0.6, "\(kind) seed \(seed) vertex \(i)")
                }
                largest = max(largest, distance(mesh.vertices[i], intact.vertices[i]))
            }
            // Labels cover moves of at least a tenth of the defect's nominal peak; the largest
            // actual move is over half of that peak (vertices sit up to half a grid step off a
            // crack's centre line), so unlabelled vertices moved under a fifth of it.
            for i in mesh.vertices.indices where mesh.defect[i] == 0 {
                #expect(distance(mesh.vertices[i], intact.vertices[i]) <= 0.2 * largest, "\(kind) seed \(seed) vertex \(i)")
            }
        }
    }

    @Test("a crack is long and thin")
    func crackShape() {
        let (intact, mesh, _, _) = Self.injected(.crack, seed: 3)
        let labelled = mesh.vertices.indices.filter { mesh.defect[$0] != 0 }.map { intact.vertices[$0] }
        var extent: Float = 0
        for a in labelled { for b in labelled { extent = max(extent, distance(a, b)) } }
        // Width is at most 0.09 (two half-widths of ≤ 0.045); the path is ≥ 0.5 long.
        #expect(extent > 0.3)
        #expect(Float(labelled.count) < extent * 0.09 * 1.5 / (Float.pi / 96 * Float.pi / 96))
    }

    @Test("added material is a labelled blob outside the surface that hides the surface under it")
    func extraMaterial() {
        let (intact, mesh, center, labelled) = Self.injected(.extra)
        #expect(mesh.vertices.count == intact.vertices.count + labelled)
        #expect(mesh.defect.prefix(intact.vertices.count).allSatisfy { $0 == 0 })
        let blob = mesh.vertices.suffix(labelled)
        #expect(blob.allSatisfy { distance($0, intact.vertices[center]) < 0.35 })
        #expect(blob.contains { length($0) > 1.02 })
        #expect(mesh.isOccluded(intact.vertices[center]))
        #expect(!mesh.isOccluded(-intact.vertices[center]))
    }
}
