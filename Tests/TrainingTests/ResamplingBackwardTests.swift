import Testing
import TensorCore
import TestSupport
@testable import Training

@Suite struct ResamplingBackwardTests {
    /// PyTorch `F.interpolate(torch.tensor([[[[0., 1.]]]]), size=(1, 4), mode='bilinear',
    /// align_corners=False)` = [0, 0.25, 0.75, 1] (edge samples clamp).
    @Test func bilinearMatchesPyTorchSampling() throws {
        let up = BilinearUpsampling(from: (1, 2), to: (1, 4))
        let out = try up.forward(try Tensor(shape: [1, 2, 1], values: [0, 1]))
        #expect(maxAbsoluteError(out.toArray(), [0, 0.25, 0.75, 1]) < 1e-6)
        // 24 → 336 (scale 14): output 7 sits at source (7.5/14 − 0.5) = 0.0357…, output 0 clamps to 0.
        let taps = BilinearUpsampling.taps(input: 24, output: 336)
        #expect(taps.low[0] == 0 && taps.highWeight[0] == 0)
        #expect(taps.low[7] == 0 && abs(taps.highWeight[7] - Float(7.5 / 14 - 0.5)) < 1e-6)
        #expect(taps.low[335] == 23 && taps.high[335] == 23)
        // A constant map stays constant.
        let constant = try BilinearUpsampling(from: (24, 24), to: (336, 336)).forward(Tensor(shape: [24, 24, 2], repeating: 0.3))
        #expect(constant.toArray().allSatisfy { abs($0 - 0.3) < 1e-6 })
    }

    @Test func bilinearBackwardIsTheAdjointAndMatchesFiniteDifferences() throws {
        let up = BilinearUpsampling(from: (3, 4), to: (7, 9))
        let x = randomTensor([3, 4, 2], seed: 50), g = randomTensor([7, 9, 2], seed: 51)
        let back = try up.backward(g)
        // ⟨A x, g⟩ = ⟨x, Aᵀ g⟩.
        let lhs = weightedSum(try up.forward(x), g), rhs = weightedSum(x, back)
        #expect(abs(lhs - rhs) < 1e-4 * max(1, abs(lhs)))
        let numeric = try finiteDifferenceGradient(of: x) { weightedSum(try up.forward(x), g) }
        #expect(maxRelativeError(back.toArray(), numeric) < 1e-3)
    }

    @Test func backProjectionAveragesVisibleViews() throws {
        // Two views of 4 pixels, one channel; point 0 seen in both, point 1 in view 1, point 2 nowhere.
        let bp = try PointBackProjection(pixels: [[0, -1, -1], [3, 2, -1]], pixelsPerView: 4)
        let maps = try Tensor(shape: [2, 4, 1], values: [1, 2, 3, 4, 10, 20, 30, 40])
        let points = try bp.forward(maps)
        #expect(points.toArray() == [(1 + 40) / 2, 30, 0])
        let g = randomTensor([3, 1], seed: 52)
        let back = try bp.backward(g, channels: 1)
        #expect(abs(weightedSum(points, g) - weightedSum(maps, back)) < 1e-5)
        #expect(back.toArray()[1] == 0 && abs(back.toArray()[7] - g.pointer[0] / 2) < 1e-7 && back.toArray()[4] == 0)
        #expect(throws: TensorError.self) { try PointBackProjection(pixels: [[4]], pixelsPerView: 4) }
    }
}
