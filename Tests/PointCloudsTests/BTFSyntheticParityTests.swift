import Foundation
import Imaging
import Testing
import TestSupport
@testable import PointClouds

/// The MVTec 3D-AD preprocessing against the reference steps run with Open3D 0.20 on raw table
/// scans the shared fixture did not contain: `pointad synth` scans of other classes, seeds and
/// frame sizes (`Fixtures/mvtec-preprocess-synth`, made by `Scripts/fixtures/btf_reference_preprocess.py`).
@Suite struct BTFSyntheticParityTests {
    static let scans = ["torus-dent-256x224", "lathe-good-200x160", "blob-defect-160x208"]

    struct Reference: Decodable {
        let padded_shape: [Int]
        let input_shape: [Int]
        let plane: [Double]
        let kept_points: Int
    }

    @Test(arguments: scans) func keptPointsMatchOpen3D(scan: String) throws {
        let dir = TestPaths.fixture("mvtec-preprocess-synth/\(scan)")
        let raw = try OrganizedScan.read(xyz: dir.appendingPathComponent("raw.tiff"))
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: dir.appendingPathComponent("reference.json")))
        let mask = try PNGFile.readBytes(dir.appendingPathComponent("kept.png"), as: .grey)
        #expect(reference.input_shape == [raw.height, raw.width])

        let (ours, report) = try BTFPreprocessing().apply(raw)
        #expect(!report.alreadyPreprocessed)
        #expect([ours.height, ours.width] == reference.padded_shape)
        #expect([mask.height, mask.width] == reference.padded_shape)
        let theirs = Set(mask.bytes.indices.filter { mask.bytes[$0] > 0 })
        #expect(theirs.count == reference.kept_points)
        let kept = Set(ours.xyz.validPixelIndices)
        let jaccard = Double(kept.intersection(theirs).count) / Double(kept.union(theirs).count)
        #expect(jaccard >= 0.99, "\(scan): kept-point Jaccard \(jaccard) (\(kept.count) ours, \(theirs.count) Open3D)")

        // Kept points are the raw points, bit for bit, moved only by the padding.
        let side = ours.width, top = (side - raw.height) / 2, left = (side - raw.width) / 2
        for pixel in kept.union(theirs) {
            let x = pixel % side - left, y = pixel / side - top
            #expect(x >= 0 && x < raw.width && y >= 0 && y < raw.height && XYZImage.isValid(raw.xyz[x, y]))
            if kept.contains(pixel) { #expect(ours.xyz[pixel % side, pixel / side] == raw.xyz[x, y]) }
        }
        // The same table plane (up to sign): normals within 0.5°, offsets within 0.5 mm.
        let plane = try #require(report.plane)
        let dotProduct = plane.a * reference.plane[0] + plane.b * reference.plane[1] + plane.c * reference.plane[2]
        let sign: Double = dotProduct < 0 ? -1 : 1
        #expect(dotProduct * sign > cos(0.5 * Double.pi / 180))
        #expect(abs(plane.d * sign - reference.plane[3]) < 0.0005)
    }
}
