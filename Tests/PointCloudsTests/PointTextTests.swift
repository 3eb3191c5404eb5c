import Foundation
import Testing
import TestSupport
@testable import PointClouds

/// Real3D-AD (`x y z label`, spaces) and Anomaly-ShapeNet (`x,y,z,label`) ground truth.
@Suite struct PointTextTests {
    func read(_ text: String, _ name: String) throws -> PointCloud {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        return try PointCloudFile.read(TestFiles.write(text, name, in: directory))
    }

    @Test func real3DGroundTruth() throws {
        let cloud = try read("0.12573022 -0.1321 6.4e-1 0\n1 2 3 1\r\n\n-4.5 5 6e2 0.0\n", "1_bulge.txt")
        #expect(cloud.positions == [SIMD3(0.12573022, -0.1321, 0.64), SIMD3(1, 2, 3), SIMD3(-4.5, 5, 600)])
        #expect(cloud.scalars["label"] == [0, 1, 0])
    }

    @Test func anomalyShapeNetGroundTruth() throws {
        let cloud = try read("# x,y,z,label\n0.5,0.25,-1,1\n2, 3 ,4,0\n", "ashtray0_bulge0.txt")
        #expect(cloud.positions == [SIMD3(0.5, 0.25, -1), SIMD3(2, 3, 4)])
        #expect(cloud.scalars["label"] == [1, 0])
    }

    @Test func writerRoundTripsBothDialects() throws {
        var rng = SplitMix64(seed: 5)
        let points = (0..<50).map { _ in SIMD3(Float.random(in: -1...1, using: &rng), Float.random(in: -1...1, using: &rng), Float.random(in: -1...1, using: &rng)) }
        let labels = (0..<50).map { Float($0 % 3 == 0 ? 1 : 0) }
        let cloud = PointCloud(positions: points, scalars: ["label": labels])
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in ["gt/a.txt", "GT/b.csv"] {
            let url = directory.appendingPathComponent(name)
            try PointCloudFile.write(cloud, to: url)
            let text = try String(contentsOf: url, encoding: .utf8)
            #expect(text.split(separator: "\n").first!.split(separator: name.hasSuffix("csv") ? "," : " ").count == 4)
            let back = try PointCloudFile.read(url)
            #expect(back.positions == points)
            #expect(back.scalars["label"] == labels)
        }
    }
}
