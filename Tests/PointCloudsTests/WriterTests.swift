import Foundation
import Imaging
import Testing
import TestSupport
@testable import PointClouds

/// PLY and PCD writers: exact headers, bit-exact round trips, heat-map colours.
@Suite struct WriterTests {
    static func sampleCloud(_ n: Int = 40) -> PointCloud {
        var rng = SplitMix64(seed: 11)
        func v() -> SIMD3<Float> { SIMD3(Float.random(in: -3...3, using: &rng), Float.random(in: -3...3, using: &rng), Float.random(in: -3...3, using: &rng)) }
        let positions = (0..<n).map { _ in v() }
        let normals = (0..<n).map { _ in v() }
        let scores = (0..<n).map { Float($0) / Float(n - 1) * 2 + 1 }
        let labels = (0..<n).map { Float($0 % 2) }
        return PointCloud(positions: positions, normals: normals, scalars: ["anomaly": scores, "label": labels])
    }

    @Test(arguments: [PLYWriter.Encoding.binaryLittleEndian, .ascii])
    func plyRoundTripWithHeatMap(encoding: PLYWriter.Encoding) throws {
        let cloud = Self.sampleCloud()
        let data = try PLYWriter.encode(cloud, encoding: encoding, heatMap: HeatMap(), path: "o.ply")
        let text = String(decoding: data.prefix(400), as: UTF8.self)
        let expectedHeader = """
        ply
        format \(encoding == .ascii ? "ascii" : "binary_little_endian") 1.0
        comment written by pointad
        element vertex 40
        property float x
        property float y
        property float z
        property float nx
        property float ny
        property float nz
        property uchar red
        property uchar green
        property uchar blue
        property float anomaly
        property float label
        end_header

        """
        #expect(text.hasPrefix(expectedHeader))
        if encoding == .binaryLittleEndian { #expect(data.count == expectedHeader.utf8.count + 40 * (24 + 3 + 8)) }
        let back = try data.withUnsafeBytes { try PLYReader.read(bytes: $0, path: "o.ply").cloud }
        #expect(back.positions == cloud.positions)
        #expect(back.normals == cloud.normals)
        #expect(back.scalars == cloud.scalars)
        // Scores 1…3 span the colour map: the lowest is jet's blue end, the highest its red end.
        let colours = try #require(back.colors)
        #expect(colours.first == SIMD3<Float>(0, 0, 128) / 255)
        #expect(colours.last == SIMD3<Float>(128, 0, 0) / 255)
        for (i, score) in cloud.scalars["anomaly"]!.enumerated() {
            let (r, g, b) = ColorMap.jet.bytes((score - 1) / 2)
            #expect(colours[i] == SIMD3(Float(r), Float(g), Float(b)) / 255)
        }
    }

    @Test(arguments: [PCDHeader.Encoding.ascii, .binary, .binaryCompressed])
    func pcdRoundTrip(encoding: PCDHeader.Encoding) throws {
        var cloud = Self.sampleCloud()
        cloud.scalars["anomaly"] = nil
        cloud.colors = (0..<40).map { SIMD3(Float($0), Float(255 - $0), Float($0 * 3)) / 255 }
        let data = try PCDWriter.encode(cloud, encoding: encoding, heatMap: nil, path: "o.pcd")
        let text = String(decoding: data.prefix(300), as: UTF8.self)
        #expect(text.contains("FIELDS x y z normal_x normal_y normal_z rgb label\nSIZE 4 4 4 4 4 4 4 4\nTYPE F F F F F F U F\n"))
        let back = try data.withUnsafeBytes { try PCDReader.read(bytes: $0, path: "o.pcd").cloud }
        #expect(back.positions == cloud.positions)
        #expect(back.normals == cloud.normals)
        #expect(back.colors == cloud.colors)
        #expect(back.scalars == cloud.scalars)
    }

    @Test func writersRefuseUnwritableNames() throws {
        var cloud = Self.sampleCloud(3)
        cloud.scalars["bad name"] = [0, 0, 0]
        #expect(throws: (any Error).self) { try PLYWriter.encode(cloud, encoding: .ascii, heatMap: nil, path: "o.ply") }
    }
}
