import Foundation
import PointADSupport
import Testing
import TestSupport
@testable import PointClouds

/// Files written by other tools (CGAL, VCG/MeshLab, Blender, assimp's test suite) read exactly as
/// plyfile 1.1.5 reads them: the expected digests are numpy over plyfile's arrays cast to float32
/// (`bitDigest`'s formula), recorded once on the development machine.
@Suite(.enabled(if: ThirdPartyFiles.isAvailable, "third-party test files unavailable: \(ThirdPartyFiles.availability ?? "")"))
struct ThirdPartyParityTests {
    static let expected: [(String, Int, KeyValuePairs<String, UInt64>)] = [
        ("cgal/data/meshes/b9.ply", 22300, ["x": 0x0928b82b6f06c000, "y": 0x07d8216f12aa0cf9, "z": 0x0917f038628b48a6]),
        ("cgal/data/meshes/colored_tetra.ply", 4, ["x": 0x00000000fe000000, "y": 0x00000000be800000, "z": 0x000000007f000000, "nx": 0x000000047a000000, "ny": 0x0000000539000000, "nz": 0x00000005f8000000, "red": 0x000000021a7b0000, "green": 0x00000001d67d0000, "blue": 0x00000001517b0000, "id": 0x0000000240000000]),
        ("cgal/data/meshes/sphere.ply", 162, ["x": 0x0000196a1fcb7324, "y": 0x000018289ff7b4dc, "z": 0x00001711a1bc6c50]),
        ("cgal/data/points_3/b9_training.ply", 22300, ["x": 0x043af5fe8ed078c0, "y": 0x04317b97a034160b, "z": 0x03db765d4c7f3f33, "red": 0x0060e583275b0000, "green": 0x0054c7d088c70000, "blue": 0x0027b8a335880000, "label": 0x0a00ff7d74800000]),
        ("cgal/data/points_3/ball.ply", 31374, ["x": 0x0bdace6a91aa9c3e, "y": 0x1642a8f5797ad7a5, "z": 0x130056439414e935, "nx": 0x0e5da9811e5ac6d4, "ny": 0x10ced3a251c61cf5, "nz": 0x0e4f47241989fab2, "segment_index": 0x06ca92f660500000]),
        ("cgal/data/points_3/building.ply", 100000, ["x": 0xaeb93de420f08543, "y": 0x932b1b51eb11a4eb, "z": 0x6b14262eee0c7895, "nx": 0xacf997f7459ab6b9, "ny": 0x8b9fd494d7de3039, "nz": 0x76e34b935ec19b59, "segment_index": 0x78104622d7600000]),
        ("cgal/data/points_3/circles.ply", 1101, ["x": 0x00053f1a4206fd78, "y": 0x000451deb3980b05, "z": 0, "nx": 0x0004a51506df9b03, "ny": 0x00049ca4408788d9, "nz": 0]),
        ("cgal/data/points_3/hippo1.ply", 6104, ["x": 0x007c3f77544d4928, "y": 0x007a95cdef05d019, "z": 0x005bfcc96060892f, "nx": 0x008bd22a8769a732, "ny": 0x0083b009865b58a6, "nz": 0x00464f293b49d9a9]),
        ("cgal/data/points_3/oni.ply", 1435, ["x": 0x000637d276e3e8e1, "y": 0x0006cda4ce4bd4c3, "z": 0x0005f1d352b9282a, "nx": 0x0006f1ed2acbb9d8, "ny": 0x0007e992ded82791, "nz": 0x0006ac3e9d52eae1]),
        ("cgal/data/points_3/example.ply", 3, ["x": 0, "y": 0x00000000be800000, "z": 0x000000007f000000, "nx": 0, "ny": 0, "nz": 0x000000017d000000, "red": 0x00000000437f0000, "green": 0x0000000086fe0000, "blue": 0x00000000ca7d0000, "intensity": 0x000000017c4a3d71, "label": 0x00000000fe000000]),
        ("assimp/PLY/cube.ply", 8, ["x": 0x0000000673000000, "y": 0x0000000575000000, "z": 0x0000000477000000]),
        ("assimp/PLY/cube_binary.ply", 8, ["x": 0x0000000673000000, "y": 0x0000000575000000, "z": 0x0000000477000000]),
        ("assimp/PLY/cube_uv.ply", 24, ["x": 0x000000a069fffdcf, "y": 0x0000008e69fffea4, "z": 0x000000916a000000, "nx": 0x0000005ec6000000, "ny": 0x00000063b6000000, "nz": 0x0000004fee000000, "s": 0x0000002535000000, "t": 0x000000282f000000]),
        ("assimp/PLY/float-color.ply", 3, ["x": 0x000000014f680000, "y": 0x00000000c9d80000, "z": 0, "red": 0, "green": 0, "blue": 0x000000017d000000, "alpha": 0x000000017d000000]),
        ("assimp/PLY/points.ply", 4, ["x": 0, "y": 0x00000001bc800000, "z": 0x000000017d000000, "red": 0x0000000194fa0000, "green": 0x000000021bf80000, "blue": 0x00000001d8790000, "nx": 0x00000001bc800000, "ny": 0x000000013d800000, "nz": 0x000000007f000000]),
    ]

    @Test(arguments: 0..<expected.count)
    func plyMatchesPlyfile(index: Int) throws {
        let (file, count, digests) = Self.expected[index]
        let cloud = try PointCloudFile.read(ThirdPartyFiles.url(file))
        #expect(cloud.count == count, "\(file)")
        let floatColours = file.hasSuffix("float-color.ply")
        for (name, digest) in digests {
            let values = try #require(cloud.column(name, colorsAreBytes: !floatColours), "\(file): no \(name)")
            #expect(bitDigest(values) == digest, "\(file) \(name)")
        }
    }

    @Test func kittenXYZMatchesNumpyLoadtxt() throws {
        let cloud = try PointCloudFile.read(ThirdPartyFiles.url("cgal/data/points_3/kitten.xyz"))
        #expect(cloud.count == 5210)
        let expected: [UInt64] = [0x6b95171ed2712d, 0x685eee52f2bbb2, 0x7a7e59a2b9f8bd, 0x67fdec317e80a2, 0x6596f37bbcc79d, 0x6fc1803379e264]
        for (i, name) in ["x", "y", "z", "nx", "ny", "nz"].enumerated() {
            #expect(bitDigest(cloud.column(name)!) == expected[i], "kitten \(name)")
        }
    }

    /// The malformed files of assimp's suite, each rejected with a message naming the file and
    /// the problem (plyfile rejects them too; Open3D returns garbage for pond.0.ply).
    @Test(arguments: [
        ("assimp/PLY/pond.0.ply", "declares 70051 rows"),
        ("assimp/PLY/issue623.ply", "list count"),
        ("assimp/PLY/Wuson.ply", "unknown header keyword 'Created'"),
        ("assimp/invalid/empty.ply", "empty file"),
    ])
    func malformedFilesAreClearErrors(file: String, problem: String) throws {
        let url = ThirdPartyFiles.url(file)
        do {
            _ = try PointCloudFile.read(url)
            Issue.record("\(file) read without error")
        } catch let error as FileError {
            #expect(error.path == url.path)
            #expect(error.problem.contains(problem), "\(error)")
        }
    }

    @Test func wusonReadsInLenientMode() throws {
        let cloud = try PLYReader.read(ThirdPartyFiles.url("assimp/PLY/Wuson.ply"), lenient: true)
        #expect(cloud.count == 11184)
        #expect(cloud.normals?.count == 11184)
        #expect(cloud.scalars.keys.sorted() == ["s", "t"])
    }

    /// Our writers' output read back equals the source, bit for bit, for a real scan.
    @Test(arguments: ["a.ply", "b.pcd", "c.txt"], [false, true])
    func realScanRoundTrips(name: String, ascii: Bool) throws {
        let source = try PointCloudFile.read(ThirdPartyFiles.url("cgal/data/points_3/b9_training.ply"))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pointad-rt-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent(name)
        try PointCloudFile.write(source, to: url, ascii: ascii)
        let back = try PointCloudFile.read(url)
        #expect(back.positions == source.positions)
        #expect(back.scalars["label"] == source.scalars["label"])
        if !name.hasSuffix(".txt") { #expect(back.colors == source.colors) }
    }
}
