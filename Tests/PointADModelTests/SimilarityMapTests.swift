import Foundation
import PointADModel
import Testing
import TensorCore
import TestSupport

/// Patch–text similarity and bilinear upsampling, the two steps that turn CLIP patch tokens into
/// PointAD's per-view anomaly maps. References: hand-computed values and PyTorch's documented
/// outputs for `F.interpolate(mode="bilinear")`.
@Suite("similarity maps")
struct SimilarityMapTests {
    @Test("abnormal probability is the two-way softmax of cosine / 0.07")
    func patchProbabilities() throws {
        // Text: normal = e0, abnormal = e1 (after normalisation). Tokens at known cosines.
        let prompts = try PromptFeatures(normal: [2, 0, 0], abnormal: [0, 3, 0])
        let c: Float = 0.6, s: Float = 0.8
        let tokens = try Tensor(shape: [4, 3], values: [1, 0, 0, 0, 1, 0, c, s, 0, 0, 0, 1])
        let p = try PatchScoring.abnormalProbabilities(tokens, prompts: prompts)
        func softmax1(_ normal: Double, _ abnormal: Double) -> Float {
            let a = Foundation.exp(normal / 0.07), b = Foundation.exp(abnormal / 0.07)
            return Float(b / (a + b))
        }
        let expected = [softmax1(1, 0), softmax1(0, 1), softmax1(Double(c), Double(s)), 0.5]
        #expect(maxAbsoluteError(p, expected) < 1e-6)
    }

    @Test("prompt features reject a wrong shape")
    func promptShape() {
        #expect(throws: (any Error).self) { try PromptFeatures(embeddings: Tensor(zeros: [3, 4])) }
        #expect(throws: (any Error).self) { try PromptFeatures(normal: [1, 2], abnormal: [1]) }
    }

    @Test("2×2 → 4×4 matches PyTorch's align_corners=False output")
    func torchKnownAnswer() {
        let up = BilinearUpsampler(source: 2, target: 4)
        // torch.nn.functional.interpolate(torch.tensor([[[[0.,1],[2,3]]]]), size=4, mode="bilinear")
        let expected: [Float] = [0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3]
        #expect(up.upsample([0, 1, 2, 3]) == expected)
    }

    @Test("2×2 → 3×3 with align_corners=True")
    func alignCornersKnownAnswer() {
        let up = BilinearUpsampler(source: 2, target: 3, alignCorners: true)
        #expect(up.upsample([0, 1, 2, 3]) == [0, 0.5, 1, 1, 1.5, 2, 2, 2.5, 3])
    }

    @Test("24 → 336 against a double-precision reference loop; sample and corners agree with the map")
    func referenceLoop() {
        let side = 24, size = 336
        let grid = randomFloats(side * side, seed: 5)
        let up = BilinearUpsampler(source: side, target: size)
        let map = up.upsample(grid)
        // Independent reference: torch's formula written out in double.
        func source(_ o: Int) -> (Int, Int, Double) {
            let s = max(Double(side) / Double(size) * (Double(o) + 0.5) - 0.5, 0)
            let i0 = Int(s.rounded(.down))
            return (i0, min(i0 + 1, side - 1), s - Double(i0))
        }
        var reference = [Float]()
        for y in 0..<size {
            let (y0, y1, ly) = source(y)
            for x in 0..<size {
                let (x0, x1, lx) = source(x)
                let g = { (r: Int, c: Int) in Double(grid[r * side + c]) }
                let v = (1 - ly) * ((1 - lx) * g(y0, x0) + lx * g(y0, x1)) + ly * ((1 - lx) * g(y1, x0) + lx * g(y1, x1))
                reference.append(Float(v))
            }
        }
        // torch (and this code) work in float: the scale 24/336 differs from double by ~1e-9, the
        // source coordinate near the far edge by ~3e-7 cells, values by a few 1e-6.
        #expect(maxAbsoluteError(map, reference) < 1e-5)
        grid.withUnsafeBufferPointer { g in
            for (x, y) in [(0, 0), (335, 335), (7, 200), (168, 3)] {
                #expect(up.sample(g.baseAddress!, x: x, y: y) == map[y * size + x])
                let (idx, w) = up.corners(x: x, y: y)
                var v: Float = 0
                for c in 0..<4 { v += w[c] * grid[Int(idx[c])] }
                #expect(abs(v - map[y * size + x]) < 1e-6)
            }
        }
    }
}
