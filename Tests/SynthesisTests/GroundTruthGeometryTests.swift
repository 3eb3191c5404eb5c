import Foundation
import TensorCore
import Testing
@testable import Synthesis

/// Ground truth must sit where the geometry changed. A sample with defects and the intact sample
/// of the same seed share the object and the pose (only the defect draws differ), so comparing the
/// two shows where the surface moved.
@Suite("ground truth follows the geometry")
struct GroundTruthGeometryTests {
    static let classes = SyntheticClass.catalog(count: 4, layout: .mvtec3d, seed: 21)

    @Test("scan pixels labelled defective moved in depth; unlabelled pixels did not",
          arguments: [DefectKind.bump, .dent, .crack, .hole, .missing, .extra])
    func scans(kind: DefectKind) {
        for objectClass in Self.classes {
            let intact = SampleSynthesizer.depthScan(of: objectClass, defects: [], seed: 5, width: 160, height: 128, resolution: 96)
            let broken = SampleSynthesizer.depthScan(of: objectClass, defects: [kind], seed: 5, width: 160, height: 128, resolution: 96)
            let sigma = 0.0008 * objectClass.size  // the renderer's depth noise
            var moved: [Float] = [], still: [Float] = []
            for p in 0..<(160 * 128) where intact.xyz[3 * p + 2] != 0 && broken.xyz[3 * p + 2] != 0 {
                let dz = abs(intact.xyz[3 * p + 2] - broken.xyz[3 * p + 2])
                if broken.groundTruth[p] != 0 { moved.append(dz) } else { still.append(dz) }
            }
            #expect(broken.groundTruth.allSatisfy { $0 == 0 || $0 == kind.groundTruthValue })
            #expect(moved.count >= 12, "\(objectClass.name) \(kind): \(moved.count) labelled pixels")
            // Most unlabelled pixels differ by noise only (two draws: σ√2); labelled ones by far more.
            #expect(median(still) < 2 * sigma, "\(objectClass.name) \(kind)")
            #expect(median(moved) > 6 * sigma, "\(objectClass.name) \(kind): median \(median(moved)) vs σ \(sigma)")
        }
    }

    @Test("cloud points labelled defective are off the intact surface; the others are on it",
          arguments: [SyntheticLayout.real3d, .shapenet])
    func clouds(layout: SyntheticLayout) {
        let objectClass = SyntheticClass.catalog(count: 2, layout: layout, seed: 8)[1]
        for kind in layout.defectKinds {
            let intact = SampleSynthesizer.cloud(of: objectClass, defects: [], seed: 3, count: 20_000, noise: 0, offset: 5, resolution: 96)
            let broken = SampleSynthesizer.cloud(of: objectClass, defects: [kind], seed: 3, count: 4_000, noise: 0, offset: 5, resolution: 96)
            var onDefect: [Float] = [], elsewhere: [Float] = []
            for (p, label) in zip(broken.points, broken.labels) {
                var best = Float.infinity
                for q in intact.points { best = min(best, ((p - q) * (p - q)).sum()) }
                if label == 1 { onDefect.append(best.squareRoot()) } else { elsewhere.append(best.squareRoot()) }
            }
            let fraction = Double(onDefect.count) / Double(broken.points.count)
            #expect(fraction > 0.002 && fraction < 0.15, "\(kind): anomalous fraction \(fraction)")
            // Unlabelled points are as close to the intact samples as their spacing; labelled ones
            // sit clearly further out (or in).
            #expect(median(onDefect) > 2 * median(elsewhere), "\(kind): \(median(onDefect)) vs \(median(elsewhere))")
        }
    }

    @Test("samples are reproducible from their seed alone")
    func reproducible() {
        let c = Self.classes[2]
        let a = SampleSynthesizer.depthScan(of: c, defects: [.crack, .extra], seed: 9, width: 64, height: 48, resolution: 48)
        let b = SampleSynthesizer.depthScan(of: c, defects: [.crack, .extra], seed: 9, width: 64, height: 48, resolution: 48)
        #expect(a.xyz == b.xyz && a.rgb == b.rgb && a.groundTruth == b.groundTruth)
        let other = SampleSynthesizer.depthScan(of: c, defects: [.crack, .extra], seed: 10, width: 64, height: 48, resolution: 48)
        #expect(other.xyz != a.xyz)
    }
}

func median(_ values: [Float]) -> Float {
    guard !values.isEmpty else { return .nan }
    return values.sorted()[values.count / 2]
}
