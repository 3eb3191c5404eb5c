import Foundation
import PointADModel
import Testing
import TensorCore
import TestSupport

/// The cross-hierarchy InfoNCE: its value on representations where the answer is known by hand,
/// and its logit gradient against central finite differences.
@Suite("cross-hierarchy alignment")
struct AlignmentTests {
    @Test("anomaly representations mix the prompt embeddings by probability")
    func representations() throws {
        let prompts = try PromptFeatures(normal: [1, 0, 0], abnormal: [0, 1, 0])
        let r = CrossHierarchyAlignment.representations(probabilities: [0, 1, 0.5], prompts: prompts)
        let h = Float(0.5).squareRoot()
        #expect(maxAbsoluteError(r.toArray(), [1, 0, 0, 0, 1, 0, h, h, 0]) < 1e-6)
    }

    @Test("loss on orthonormal representations: −log(e^{1/τ} / (e^{1/τ} + (M−1)))")
    func knownLoss() throws {
        let m = 3
        var eye = [Float](repeating: 0, count: m * m)
        for i in 0..<m { eye[i * m + i] = 1 }
        let a = try Tensor(shape: [m, m], values: eye)
        let align = CrossHierarchyAlignment(temperature: 0.5)
        let (loss, _) = try align.loss(rendering: a, geometry: a)
        let e = Foundation.exp(2.0)
        #expect(abs(Double(loss) - -Foundation.log(e / (e + Double(m - 1)))) < 1e-6)
    }

    @Test("logit gradient matches central finite differences")
    func gradient() throws {
        let m = 4, d = 3
        let align = CrossHierarchyAlignment(temperature: 0.3)
        let r = try Tensor(shape: [m, d], values: randomFloats(m * d, seed: 1))
        let g = try Tensor(shape: [m, d], values: randomFloats(m * d, seed: 2))
        let (_, grad) = try align.loss(rendering: r, geometry: g)
        // Perturb S through the rendering rows: ∂L/∂r[a,c] = Σ_b ∂L/∂S[a,b] · g[b,c] / τ.
        let h: Float = 1e-2
        for a in 0..<m {
            for c in 0..<d {
                let plus = r.copy(), minus = r.copy()
                plus[a, c] += h
                minus[a, c] -= h
                let numeric = (try align.loss(rendering: plus, geometry: g).loss - align.loss(rendering: minus, geometry: g).loss) / (2 * h)
                var analytic: Float = 0
                for b in 0..<m { analytic += grad[a, b] * g[b, c] / align.temperature }
                #expect(abs(numeric - analytic) < 2e-3 * max(1, abs(analytic)))
            }
        }
    }

    @Test("anchors: distinct, sorted, all points when the cloud is small, seeded")
    func anchors() {
        let align = CrossHierarchyAlignment(anchors: 10)
        #expect(align.sampleAnchors(pointCount: 6, seed: 1) == Array(0..<6))
        let a = align.sampleAnchors(pointCount: 1000, seed: 7)
        #expect(a.count == 10 && Set(a).count == 10 && a == a.sorted() && a.allSatisfy { $0 < 1000 })
        #expect(a == align.sampleAnchors(pointCount: 1000, seed: 7))
        #expect(a != align.sampleAnchors(pointCount: 1000, seed: 8))
    }
}
