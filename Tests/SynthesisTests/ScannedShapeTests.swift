import Foundation
import PointClouds
import PointADSupport
import Testing
import TestSupport
@testable import Synthesis

@Suite("OFF meshes and scanned shapes")
struct ScannedShapeTests {
    /// CGAL's data as `Scripts/fetch-test-data.sh` extracts it (not committed).
    static let cgalMeshes = TestPaths.repositoryRoot.appendingPathComponent(".cache/testdata/cgal/data/meshes")
    static var haveCGAL: Bool { FileManager.default.fileExists(atPath: cgalMeshes.appendingPathComponent("bunny00.off").path) }

    static func write(_ text: String) throws -> URL {
        let url = try TestPaths.temporaryDirectory("off").appendingPathComponent("mesh.off")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test("a cube with quad faces and comments reads as 12 outward triangles")
    func cube() throws {
        let url = try Self.write("""
            OFF
            # a unit cube, quads
            8 6 0
            0 0 0
            1 0 0
            1 1 0
            0 1 0
            0 0 1
            1 0 1
            1 1 1
            0 1 1
            4 0 3 2 1
            4 4 5 6 7
            4 0 1 5 4
            4 2 3 7 6
            4 1 2 6 5
            4 3 0 4 7  255 0 0
            """)
        let mesh = SurfaceMesh(try OFFReader.read(url))
        #expect(mesh.vertices.count == 8 && mesh.triangles.count == 12)
        #expect(isWatertight(mesh))
        #expect(abs(ParametricGrid.signedVolume(mesh) / 6 - 1) < 1e-6)
        let refined = MeshSubdivision.subdivided(mesh)
        #expect(refined.triangles.count == 48 && refined.vertices.count == 8 + 18)
        #expect(isWatertight(refined))
        #expect(abs(ParametricGrid.signedVolume(refined) / 6 - 1) < 1e-6)
    }

    @Test("bad OFF files are refused naming the problem", arguments: [
        ("PLY\n", "not an OFF file"),
        ("OFF\n3 1 0\n0 0 0\n1 0 0\n# the third vertex is missing\n", "vertex 2"),
        ("OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 7\n", "face 0: vertex index"),
        ("OFF\n99999999 99999999 0\n", "more than the file holds"),
        ("OFF\n3 1 0\n0 0 0\n1 0 nan\n0 1 0\n3 0 1 2\n", "vertex 1"),
    ])
    func badFiles(text: String, problem: String) throws {
        let url = try Self.write(text)
        do {
            _ = SurfaceMesh(try OFFReader.read(url))
            Issue.record("no error for \(text.debugDescription)")
        } catch let error as FileError {
            #expect(error.path == url.path)
            #expect(error.problem.contains(problem), "\(error.problem)")
        }
    }

    @Test("CGAL's scans load closed, outward and refined; classes made of them synthesise",
          .enabled(if: Self.haveCGAL))
    func cgalScans() throws {
        let scans = try ScannedShape.catalog(in: Self.cgalMeshes)
        #expect(scans.map(\.name) == ScannedShape.preferredNames)
        for scan in scans {
            #expect(isWatertight(scan.mesh), "\(scan.name)")
            #expect(ParametricGrid.signedVolume(scan.mesh) > 0, "\(scan.name)")
            #expect(scan.mesh.vertices.count >= 30_000, "\(scan.name)")
            #expect(abs(scan.mesh.boundingSphere().radius - 1) < 0.01, "\(scan.name)")
        }
        let classes = SyntheticClass.catalog(count: 2, layout: .real3d, seed: 1, scans: Array(scans.prefix(1)))
        #expect(classes.map(\.name) == ["bunny0", "superquadric0"])
        let cloud = SampleSynthesizer.cloud(of: classes[0], defects: [.bump], seed: 4, count: 3_000, noise: 0, offset: 0, resolution: 32)
        #expect(cloud.points.count == 3_000 && cloud.anomalousCount > 0)
    }
}
