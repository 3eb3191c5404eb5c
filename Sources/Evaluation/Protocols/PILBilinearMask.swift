/// A gt mask resized as PointAD's test transform does it: torchvision `Resize` on the PIL image
/// (Pillow's BILINEAR, a triangle filter widened by the scale factor when shrinking, i.e.
/// antialiased), `ToTensor` (/255) and `> 0.5`. Pillow resamples 8-bit images in fixed point
/// (22 fractional bits, horizontal pass then vertical, each rounded and clipped to 0…255); that is
/// reproduced exactly, because a cell whose value lands near 127.5 flips with the rounding.
public enum PILBilinearMask {
    static let precisionBits = 22

    /// `mask` (nonzero = anomalous, read as 0/255) resized to `width × height`, thresholded.
    public static func resize(_ mask: GridMask, width: Int, height: Int) -> GridMask {
        var plane = mask.values.map { $0 != 0 ? UInt8(255) : 0 }
        var w = mask.width
        if width != w {
            plane = pass(plane, lines: mask.height, length: w, stride: 1, lineStride: w, output: width, outStride: 1, outLineStride: width)
            w = width
        }
        if height != mask.height {
            plane = pass(plane, lines: w, length: mask.height, stride: w, lineStride: 1, output: height, outStride: w, outLineStride: 1)
        }
        return GridMask(width: width, height: height, values: plane.map { $0 > 127 ? 1 : 0 })
    }

    /// One separable pass over `lines` lines of `length` samples each, to `output` samples.
    private static func pass(_ input: [UInt8], lines: Int, length: Int, stride: Int, lineStride: Int,
                             output: Int, outStride: Int, outLineStride: Int) -> [UInt8] {
        let taps = coefficients(input: length, output: output)
        var out = [UInt8](repeating: 0, count: lines * output)
        let half = 1 << (precisionBits - 1)
        for line in 0..<lines {
            for o in 0..<output {
                let (first, weights) = taps[o]
                var sum = half
                for (k, weight) in weights.enumerated() {
                    sum += Int(input[line * lineStride + (first + k) * stride]) * weight
                }
                out[line * outLineStride + o * outStride] = clip8(sum)
            }
        }
        return out
    }

    /// Pillow's `precompute_coeffs` for the bilinear filter (support 1), normalised to fixed point.
    static func coefficients(input: Int, output: Int) -> [(first: Int, weights: [Int])] {
        let scale = Double(input) / Double(output)
        let filterScale = max(scale, 1)
        let support = filterScale
        return (0..<output).map { o in
            let center = (Double(o) + 0.5) * scale
            let first = max(Int(center - support + 0.5), 0)
            let end = min(Int(center + support + 0.5), input)
            var weights = (first..<max(end, first)).map { x in triangle((Double(x) - center + 0.5) / filterScale) }
            let total = weights.reduce(0, +)
            if total != 0 { weights = weights.map { $0 / total } }
            let one = Double(1 << precisionBits)
            return (first, weights.map { $0 < 0 ? Int(-0.5 + $0 * one) : Int(0.5 + $0 * one) })
        }
    }

    private static func triangle(_ x: Double) -> Double {
        let a = abs(x)
        return a < 1 ? 1 - a : 0
    }

    private static func clip8(_ value: Int) -> UInt8 {
        if value >= (1 << (precisionBits + 8)) { return 255 }
        if value <= 0 { return 0 }
        return UInt8(value >> precisionBits)
    }
}
