import Foundation
import PointADSupport
import Testing
import TestSupport
@testable import PointClouds

/// OBJ, STL (ASCII and binary) and OFF meshes: exact vertices and triangles of small hand-written
/// files, clear errors for broken ones, and the surface points a mesh is scored on.
@Suite struct MeshFormatTests {
    func withFile<T>(_ bytes: [UInt8], _ name: String, _ body: (URL) throws -> T) throws -> T {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(TestFiles.write(bytes, name, in: directory))
    }

    func mesh(_ text: String, _ name: String) throws -> TriangleMesh {
        try withFile(Array(text.utf8), name) { try MeshFile.read($0).mesh }
    }

    @Test func objPolygonsNegativeIndicesAndIgnoredStatements() throws {
        let text = """
            # a unit square as a quad, then a triangle with relative indices
            mtllib box.mtl
            o square
            v 0 0 0
            v 1 0 0
            v 1 1 0
            v 0 1 0 1.0
            vt 0 0
            vn 0 0 1
            usemtl red
            g top
            s off
            f 1/1/1 2/1/1 3//1 4
            v 0 0 1\r
            f -1 -4 -3\r
            l 1 2
            """
        let m = try mesh(text, "square.obj")
        #expect(m.vertices == [SIMD3(0, 0, 0), SIMD3(1, 0, 0), SIMD3(1, 1, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1)])
        #expect(m.triangles == [SIMD3(0, 1, 2), SIMD3(0, 2, 3), SIMD3(4, 1, 2)])
    }

    @Test func asciiSTLWeldsSharedCorners() throws {
        let text = """
            solid square
              facet normal 0 0 1
                outer loop
                  vertex 0 0 0
                  vertex 1 0 0
                  vertex 1 1 0
                endloop
              endfacet
              facet normal 0 0 1
                outer loop
                  vertex 0 0 0
                  vertex 1 1 0
                  vertex -0 1e0 0
                endloop
              endfacet
            endsolid square
            """
        let m = try mesh(text, "square.stl")
        #expect(m.vertices == [SIMD3(0, 0, 0), SIMD3(1, 0, 0), SIMD3(1, 1, 0), SIMD3(0, 1, 0)])
        #expect(m.triangles == [SIMD3(0, 1, 2), SIMD3(0, 2, 3)])
    }

    /// Binary STL whose 80-byte header starts with "solid", as many exporters write it.
    static func binarySTL(_ triangles: [[SIMD3<Float>]], header: String = "solid exported by a CAD tool") -> [UInt8] {
        var bytes = Array(header.utf8) + [UInt8](repeating: 0, count: 80 - header.utf8.count)
        withUnsafeBytes(of: UInt32(triangles.count).littleEndian) { bytes += $0 }
        for corners in triangles {
            let values: [Float] = [0, 0, 1] + corners.flatMap { [$0.x, $0.y, $0.z] }
            for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
            bytes += [0, 0]
        }
        return bytes
    }

    @Test func binarySTLStartingWithSolid() throws {
        let bytes = Self.binarySTL([[SIMD3(0, 0, 0), SIMD3(2, 0, 0), SIMD3(0, 3, 0)], [SIMD3(2, 0, 0), SIMD3(0, 3, 0), SIMD3(0, 0, 4)]])
        let (m, encoding) = try withFile(bytes, "part.STL") { try MeshFile.read($0) }
        #expect(encoding == "STL binary")
        #expect(m.vertices == [SIMD3(0, 0, 0), SIMD3(2, 0, 0), SIMD3(0, 3, 0), SIMD3(0, 0, 4)])
        #expect(m.triangles == [SIMD3(0, 1, 2), SIMD3(1, 2, 3)])
    }

    @Test func offVariants() throws {
        // Counts on the keyword's line, RGBA vertex colours, a face colour, comments.
        let coff = "COFF 4 2 0\n0 0 0 255 0 0 255\n1 0 0 0 255 0 255\n# comment\n1 1 0 0 0 255 255\n0 1 0 9 9 9 255\n3 0 1 2 255 0 0\n3 0 2 3\n"
        let a = try mesh(coff, "a.off")
        #expect(a.vertices == [SIMD3(0, 0, 0), SIMD3(1, 0, 0), SIMD3(1, 1, 0), SIMD3(0, 1, 0)])
        #expect(a.triangles == [SIMD3(0, 1, 2), SIMD3(0, 2, 3)])
        let noff = "NOFF\n4 1 0\n0 0 0 0 0 1\n1 0 0 0 0 1\n1 1 0 0 0 1\n0 1 0 0 0 1\n4 0 1 2 3\n"
        let b = try mesh(noff, "b.off")
        #expect(b.vertices == a.vertices && b.triangles == a.triangles)
    }

    @Test("broken meshes are FileErrors naming the file and the problem", arguments: [
        ("empty.obj", "", "empty file"),
        ("novertex.obj", "# nothing\ng group\n", "contains no vertices"),
        ("zero.obj", "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 0 1 2\n", "line 4: face refers to vertex 0"),
        ("ahead.obj", "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 4\n", "face refers to vertex 4, but only 3 vertices precede it"),
        ("back.obj", "v 0 0 0\nv 1 0 0\nf -1 -2 -3\n", "face refers to vertex -3"),
        ("line.obj", "v 0 0 0\nv 1 0 0\nf 1 2\n", "line 3: face with 2 corners"),
        ("nan.obj", "v 0 0 0\nv 1 nan 0\n", "line 2: vertex 2: expected three finite coordinates"),
        ("short.obj", "v 0 0\n", "line 1: vertex 1"),
        ("word.obj", "v 0 0 0\nf 1 a 1\n", "'a' is not a vertex index"),
        ("none.stl", "hello world", "not an STL file"),
        ("open.stl", "solid x\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\n", "ends inside a facet"),
        ("two.stl", "solid x\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\nendloop\nendfacet\n", "a facet with 2 vertices"),
        ("badvertex.stl", "solid x\nfacet normal 0 0 1\nouter loop\nvertex 0 0 zz\n", "line 4: expected three finite coordinates"),
        ("nofacets.stl", "solid x\nendsolid x\n", "contains no triangles"),
        ("ply.off", "PLY\n", "not an OFF file"),
        ("4d.off", "4OFF\n1 0 0\n0 0 0 0\n", "only 3-D OFF"),
        ("binary.off", "OFF BINARY\n", "binary OFF is not supported"),
        ("missing.off", "OFF\n3 1 0\n0 0 0\n1 0 0\n# the third vertex is missing\n", "vertex 2: the file ends early"),
        ("index.off", "OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 7\n", "face 0: vertex index"),
        ("lying.off", "OFF\n99999999 99999999 0\n", "more than the file holds"),
        ("novertex.off", "OFF\n0 0 0\n", "header declares no vertices"),
        ("nanvertex.off", "OFF\n3 1 0\n0 0 0\n1 0 nan\n0 1 0\n3 0 1 2\n", "vertex 1: expected three finite"),
        ("corners.off", "OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n2 0 1\n", "face 0: expected a corner count of at least 3"),
        ("counts.off", "OFF\nmany 1 0\n", "expected a vertex count"),
    ])
    func brokenMeshes(name: String, text: String, problem: String) throws {
        try withFile(Array(text.utf8), name) { url in
            do {
                _ = try PointCloudFile.read(url)
                Issue.record("\(name): no error")
            } catch let error as FileError {
                #expect(error.path == url.path)
                #expect(error.problem.contains(problem), "\(name): \(error.problem)")
            }
        }
    }

    @Test func truncatedBinarySTLNamesBothSizes() throws {
        let bytes = Array(Self.binarySTL([[SIMD3(0, 0, 0), SIMD3(1, 0, 0), SIMD3(0, 1, 0)]], header: "binary").dropLast(10))
        let problem = try withFile(bytes, "cut.stl") { url -> String in
            do { _ = try MeshFile.read(url); return "no error" } catch let error as FileError { return error.problem }
        }
        #expect(problem == "binary STL declares 1 triangles, which need 134 bytes, but the file has 124")
    }

    /// Two triangles of areas 1 and 3 in the plane z = 2: points land in proportion to area, on the
    /// surface, with the faces' normals, and the same seed gives the same points.
    @Test func surfaceSamplingIsAreaWeightedAndSeeded() throws {
        let mesh = TriangleMesh(vertices: [SIMD3(0, 0, 2), SIMD3(2, 0, 2), SIMD3(0, 1, 2), SIMD3(-6, 0, 2), SIMD3(0, -1, 2)],
                                triangles: [SIMD3(0, 1, 2), SIMD3(0, 4, 3)])
        #expect(mesh.area == 4)
        let cloud = MeshSurfaceSampler.sample(mesh, count: 40_000, seed: 7)
        #expect(cloud.count == 40_000)
        #expect(cloud.positions.allSatisfy { abs($0.z - 2) < 1e-5 })
        let inFirst = cloud.positions.filter { $0.x >= 0 && $0.y >= 0 && $0.x / 2 + $0.y <= 1 + 1e-6 }.count
        let inSecond = cloud.positions.filter { $0.x <= 0 && $0.y <= 0 && -$0.x / 6 - $0.y <= 1 + 1e-6 }.count
        #expect(inFirst + inSecond == 40_000)
        // Binomial(40000, 1/4): standard deviation ≈ 87 points.
        #expect(abs(inFirst - 10_000) < 450, "\(inFirst)")
        let normals = try #require(cloud.normals)
        #expect(normals.allSatisfy { $0 == SIMD3(0, 0, 1) || $0 == SIMD3(0, 0, -1) })
        #expect(MeshSurfaceSampler.sample(mesh, count: 40_000, seed: 7).positions == cloud.positions)
        #expect(MeshSurfaceSampler.sample(mesh, count: 100, seed: 8).positions != Array(cloud.positions.prefix(100)))
    }

    @Test func meshFilesAreScoredOnSurfacePointsAndPointSetsOnVertices() throws {
        let cube = "OFF\n8 6 0\n0 0 0\n1 0 0\n1 1 0\n0 1 0\n0 0 1\n1 0 1\n1 1 1\n0 1 1\n"
            + "4 0 3 2 1\n4 4 5 6 7\n4 0 1 5 4\n4 2 3 7 6\n4 1 2 6 5\n4 3 0 4 7\n"
        try withFile(Array(cube.utf8), "cube.off") { url in
            let (cloud, summary) = try PointCloudFile.describe(url, options: CloudLoadOptions(surfacePoints: 5000))
            #expect(summary.format == .off)
            #expect(summary.mesh?.vertices.count == 8 && summary.mesh?.triangles.count == 12)
            #expect(summary.mesh?.boundingBox == BoundingBox(min: .zero, max: SIMD3(1, 1, 1)))
            #expect(cloud.count == 5000 && cloud.normals?.count == 5000)
            // Every sample lies on a face of the cube.
            #expect(cloud.positions.allSatisfy { p in (0..<3).contains { abs(p[$0]) < 1e-6 || abs(p[$0] - 1) < 1e-6 } })
        }
        let points = "v 0 0 0\nv 1 2 3\nv -1 0 5\n"
        try withFile(Array(points.utf8), "points.obj") { url in
            let cloud = try PointCloudFile.read(url)
            #expect(cloud.positions == [SIMD3(0, 0, 0), SIMD3(1, 2, 3), SIMD3(-1, 0, 5)])
            #expect(cloud.normals == nil)
        }
    }
}
