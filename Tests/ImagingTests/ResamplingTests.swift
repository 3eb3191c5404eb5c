import Foundation
import Imaging
import Testing
import TestSupport

/// Bicubic resampling against direct per-pixel formulas of each convention (written out from the
/// definitions, not through the separable code), plus invariants.
@Suite("bicubic resampling")
struct ResamplingTests {
    /// PyTorch: source = (o + 0.5)·in/out − 0.5, taps floor−1…floor+2 clamped, a = −0.75.
    static func torchSample(_ plane: [Float], w: Int, h: Int, ow: Int, oh: Int, x: Int, y: Int) -> Float {
        func kernel(_ t: Double) -> Double {
            let a = -0.75, s = abs(t)
            return s <= 1 ? (a + 2) * s * s * s - (a + 3) * s * s + 1 : (s < 2 ? a * s * s * s - 5 * a * s * s + 8 * a * s - 4 * a : 0)
        }
        let sx = (Double(x) + 0.5) * Double(w) / Double(ow) - 0.5, sy = (Double(y) + 0.5) * Double(h) / Double(oh) - 0.5
        let fx = Int(floor(sx)), fy = Int(floor(sy))
        var acc = 0.0
        for j in (fy - 1)...(fy + 2) { for i in (fx - 1)...(fx + 2) {
            let v = Double(plane[min(max(j, 0), h - 1) * w + min(max(i, 0), w - 1)])
            acc += v * kernel(sx - Double(i)) * kernel(sy - Double(j))
        } }
        return Float(acc)
    }

    /// Pillow: support 2·max(scale, 1), weights cubic(a = −0.5) of (i + 0.5 − centre)/max(scale, 1),
    /// taps inside the image only, normalised per axis.
    static func pilSample(_ plane: [Float], w: Int, h: Int, ow: Int, oh: Int, x: Int, y: Int) -> Float {
        func weights(_ o: Int, input: Int, output: Int) -> [(Int, Double)] {
            func kernel(_ t: Double) -> Double {
                let a = -0.5, s = abs(t)
                return s < 1 ? (a + 2) * s * s * s - (a + 3) * s * s + 1 : (s < 2 ? a * s * s * s - 5 * a * s * s + 8 * a * s - 4 * a : 0)
            }
            let scale = Double(input) / Double(output), f = max(scale, 1), centre = (Double(o) + 0.5) * scale
            let taps = (0..<input).map { ($0, kernel((Double($0) + 0.5 - centre) / f)) }.filter { $0.1 != 0 }
            let total = taps.map(\.1).reduce(0, +)
            return taps.map { ($0.0, $0.1 / total) }
        }
        var acc = 0.0
        for (j, wy) in weights(y, input: h, output: oh) { for (i, wx) in weights(x, input: w, output: ow) { acc += Double(plane[j * w + i]) * wx * wy } }
        return Float(acc)
    }

    @Test("both conventions match their definitions", arguments: [(5, 4, 9, 7), (12, 10, 5, 4), (7, 7, 7, 3), (2, 3, 6, 6)])
    func definitions(_ c: (Int, Int, Int, Int)) {
        let (w, h, ow, oh) = c
        let plane = randomFloats(w * h, seed: UInt64(w * 100 + h))
        for (convention, reference) in [(Resampling.Convention.pytorch, Self.torchSample), (.pil, Self.pilSample)] {
            let out = Resampling.bicubicPlanes(plane, planes: 1, width: w, height: h, toWidth: ow, toHeight: oh, convention: convention)
            var expected: [Float] = []
            for y in 0..<oh { for x in 0..<ow { expected.append(reference(plane, w, h, ow, oh, x, y)) } }
            #expect(maxAbsoluteError(out, expected) < 1e-5, "\(convention) \(c)")
        }
    }

    @Test("same size is the identity; constants stay constant; channels stay apart")
    func invariants() {
        let image = Image(width: 6, height: 5, channels: 3, pixels: randomFloats(90, seed: 4))
        #expect(image.resizedBicubic(width: 6, height: 5) == image)
        var constant = Image(width: 8, height: 8, channels: 3, fill: 0)
        for i in 0..<64 { constant.pixels[i * 3] = 0.25; constant.pixels[i * 3 + 1] = 0.5; constant.pixels[i * 3 + 2] = 1 }
        let resized = constant.resizedBicubic(width: 3, height: 5)
        for i in 0..<15 {
            #expect(abs(resized.pixels[i * 3] - 0.25) < 1e-6 && abs(resized.pixels[i * 3 + 1] - 0.5) < 1e-6 && abs(resized.pixels[i * 3 + 2] - 1) < 1e-6)
        }
    }
}
