import Foundation
import PointClouds
import Testing
import TensorCore
@testable import Synthesis

/// Raw table scans (`synth --scene table`, the default) look like MVTec 3D-AD's raw scans, and the
/// reference preprocessing recovers the object from them; the truth (which pixel is the object,
/// where the table is) comes from synthesis, not from the preprocessing under test.
@Suite("raw table scans")
struct TableScanTests {
    static let classes = SyntheticClass.catalog(count: 4, layout: .mvtec3d, seed: 21)

    /// Every family, intact and with a defect, at the default size.
    static let cases: [(Int, [DefectKind], UInt64)] = [
        (0, [], 1), (1, [], 2), (2, [], 3), (3, [], 4),
        (0, [.dent], 5), (1, [.extra], 6), (2, [.crack], 7), (3, [.missing, .bump], 8),
    ]

    static func scan(_ index: Int) -> RawScan {
        let (c, defects, seed) = cases[index]
        return SampleSynthesizer.tableScan(of: classes[c], defects: defects, seed: seed, width: 256, height: 224, resolution: 96)
    }

    @Test("the BTF preprocessing keeps ≥ 99% of the object's points and removes ≥ 99% of the rest", arguments: 0..<8)
    func preprocessingRecoversTheObject(index: Int) throws {
        let raw = Self.scan(index)
        let w = raw.scan.width, h = raw.scan.height
        let (out, report) = try BTFPreprocessing().apply(OrganizedScan(xyz: XYZImage(width: w, height: h, values: raw.scan.xyz)))
        #expect(!report.alreadyPreprocessed)
        #expect(out.width == 300 && out.height == 300)
        let top = (out.height - h) / 2, left = (out.width - w) / 2
        let kept = Set(out.xyz.validPixelIndices)
        func survives(_ p: Int) -> Bool { kept.contains((p / w + top) * out.width + p % w + left) }
        let object = raw.validObjectPixels, background = raw.validBackgroundPixels
        #expect(object.count > 5_000 && background.count > 30_000, "\(object.count) object, \(background.count) background points")
        let objectKept = Double(object.filter(survives).count) / Double(object.count)
        let backgroundRemoved = 1 - Double(background.filter(survives).count) / Double(background.count)
        #expect(objectKept >= 0.99, "case \(index): object points kept \(objectKept)")
        #expect(backgroundRemoved >= 0.99, "case \(index): table points removed \(backgroundRemoved)")
        // Nothing else survives: every kept pixel was an object pixel of the raw scan.
        #expect(kept.count == object.filter(survives).count)
        // The fitted plane is the table synthesis put there (normals agree to 1°, offsets to 1 mm).
        let plane = try #require(report.plane)
        let fitted = SIMD3(Float(plane.a), Float(plane.b), Float(plane.c)), sign: Float = (fitted * raw.tableNormal).sum() < 0 ? -1 : 1
        #expect((fitted * raw.tableNormal).sum() * sign > cos(Float.pi / 180))
        #expect(abs(Float(plane.d) * sign - raw.tableOffset) < 0.001)
    }

    @Test("a raw scan as MVTec's: the table fills the frame and the edge band, metres at 0.5–0.7 m, noise, dropouts")
    func looksLikeARawScan() throws {
        for index in [0, 5] {
            let raw = Self.scan(index)
            let w = raw.scan.width, h = raw.scan.height
            var edge = 0, edgeValid = 0, shadowed = 0
            var residuals: [Float] = []
            for y in 0..<h {
                for x in 0..<w {
                    let p = y * w + x
                    let point = SIMD3(raw.scan.xyz[3 * p], raw.scan.xyz[3 * p + 1], raw.scan.xyz[3 * p + 2])
                    let valid = point.x != 0 && point.y != 0 && point.z != 0
                    if x < 10 || y < 10 || x >= w - 10 || y >= h - 10 {
                        edge += 1
                        if valid { edgeValid += 1; #expect(!raw.objectPixels[p]) }
                    }
                    if valid { #expect(point.z > 0.5 && point.z < 0.7) }
                    if valid && !raw.objectPixels[p] { residuals.append((raw.tableNormal * point).sum() + raw.tableOffset) }
                    if !valid && !raw.objectPixels[p] { shadowed += 1 }
                }
            }
            #expect(Double(edgeValid) / Double(edge) > 0.9, "edge band \(edgeValid)/\(edge) valid")
            // Table points lie on the table within the sensor noise (0.2 mm), bar the crumbs.
            let onTable = residuals.filter { abs($0) < 0.0015 }
            let rms = (onTable.map { $0 * $0 }.reduce(0, +) / Float(onTable.count)).squareRoot()
            #expect(rms > 0.00015 && rms < 0.00025, "table noise \(rms) m")
            // Dropouts: the projector's shadow and the edge bands beside the object, a few hundred pixels at least.
            #expect(shadowed > 200, "\(shadowed) background pixels without a point")
            // Object pixels without a point (rims, grazing angles) exist too.
            #expect(raw.objectPixels.indices.contains { raw.objectPixels[$0] && raw.scan.xyz[3 * $0 + 2] == 0 })
        }
    }

    @Test("gt marks only object pixels, and defective scans have their defect in view")
    func groundTruthOnTheObjectOnly() {
        for index in 4..<8 {
            let raw = Self.scan(index)
            let defect = raw.scan.groundTruth.indices.filter { raw.scan.groundTruth[$0] > 0 }
            #expect(defect.count >= 12)
            #expect(defect.allSatisfy { raw.objectPixels[$0] })
        }
        #expect(Self.scan(0).scan.groundTruth.allSatisfy { $0 == 0 })
    }

    @Test("the same seed gives the same scan; another seed another")
    func deterministic() {
        let c = Self.classes[1]
        let a = SampleSynthesizer.tableScan(of: c, defects: [.hole], seed: 9, width: 96, height: 80, resolution: 48)
        let b = SampleSynthesizer.tableScan(of: c, defects: [.hole], seed: 9, width: 96, height: 80, resolution: 48)
        let other = SampleSynthesizer.tableScan(of: c, defects: [.hole], seed: 10, width: 96, height: 80, resolution: 48)
        #expect(a.scan.xyz == b.scan.xyz && a.scan.rgb == b.scan.rgb && a.scan.groundTruth == b.scan.groundTruth)
        #expect(a.scan.xyz != other.scan.xyz)
    }
}
