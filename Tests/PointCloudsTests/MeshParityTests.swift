import Foundation
import PointADSupport
import Testing
import TestSupport
@testable import PointClouds

/// Third-party OBJ, STL and OFF files (assimp's and CGAL's, fetched by Scripts/fetch-test-data.sh)
/// read as trimesh reads them: same vertex count, triangle count and bounding box. The expected
/// values are Fixtures/meshes/trimesh-parity.json, written once by Scripts/fixtures/mesh_parity.py
/// (see there for how trimesh was asked: process=False for OBJ/OFF, default merging for STL, OBJ
/// files whose vertices trimesh splits by texture coordinate left out).
@Suite(.enabled(if: ThirdPartyFiles.isAvailable, "third-party test files unavailable: \(ThirdPartyFiles.availability ?? "")"))
struct MeshParityTests {
    struct Entry: Decodable, Sendable, CustomTestStringConvertible {
        var file: String
        var sha256: String
        var vertices: Int
        var faces: Int
        var bboxMin: [Double]
        var bboxMax: [Double]
        var testDescription: String { file }
    }

    struct Expected: Decodable { var meshes: [Entry] }

    static let entries: [Entry] = {
        let url = TestPaths.fixture("meshes/trimesh-parity.json")
        guard let data = try? Data(contentsOf: url), let expected = try? JSONDecoder().decode(Expected.self, from: data) else {
            return []
        }
        return expected.meshes
    }()

    @Test func fixtureCoversEveryFormat() {
        let kinds = Set(Self.entries.map { ($0.file as NSString).pathExtension.lowercased() })
        #expect(kinds == ["obj", "stl", "off"], "Fixtures/meshes/trimesh-parity.json: \(kinds)")
        #expect(Self.entries.count >= 20)
    }

    @Test(arguments: entries)
    func meshMatchesTrimesh(entry: Entry) throws {
        let url = ThirdPartyFiles.url(entry.file)
        let mesh = try MeshFile.read(url).mesh
        #expect(mesh.vertices.count == entry.vertices, "\(entry.file): vertices")
        #expect(mesh.triangles.count == entry.faces, "\(entry.file): faces")
        let box = try #require(mesh.boundingBox, "\(entry.file): no vertices")
        for axis in 0..<3 {
            for (ours, theirs, side) in [(box.min[axis], entry.bboxMin[axis], "min"), (box.max[axis], entry.bboxMax[axis], "max")] {
                let tolerance = 1e-5 * abs(theirs)  // relative; float32 parsing is ~6e-8
                #expect(abs(Double(ours) - theirs) <= tolerance, "\(entry.file): bbox \(side)[\(axis)] \(ours) vs trimesh \(theirs)")
            }
        }
    }
}
