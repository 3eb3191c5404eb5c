/// Separable bicubic resampling of float planes and images.
///
/// Two conventions, because the reference pipeline uses both:
/// - `.pil`: Pillow's `Image.resize(..., BICUBIC)` as torchvision's `Resize` applies it to images
///   (cubic a = −0.5, kernel widened by the scale factor when shrinking, i.e. antialiased; taps
///   outside the image dropped and the weights renormalised). Computed in float, without Pillow's
///   rounding to 8 bits between the two passes.
/// - `.pytorch`: `torch.nn.functional.interpolate(mode: "bicubic", align_corners: False)`, as
///   transformers uses to resize CLIP's positional embedding (a = −0.75, four taps, edge samples
///   repeated, no antialiasing).
public enum Resampling {
    public enum Convention: Sendable { case pil, pytorch }

    /// Taps of one output sample along one axis.
    struct Taps {
        var indices: [[Int]] = []
        var weights: [[Float]] = []
    }

    static func taps(input: Int, output: Int, convention: Convention) -> Taps {
        var taps = Taps()
        let scale = Double(input) / Double(output)
        switch convention {
        case .pil:
            let a = -0.5
            func filter(_ v: Double) -> Double {
                let x = abs(v)
                if x < 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
                if x < 2 { return (((x - 5) * x + 8) * x - 4) * a }
                return 0
            }
            let filterScale = max(scale, 1)
            let support = 2 * filterScale
            for o in 0..<output {
                let center = (Double(o) + 0.5) * scale
                let lo = max(Int(center - support + 0.5), 0)
                let hi = min(Int(center + support + 0.5), input)
                var idx: [Int] = [], w: [Double] = []
                for i in lo..<max(hi, lo) {
                    idx.append(i)
                    w.append(filter((Double(i) - center + 0.5) / filterScale))
                }
                let total = w.reduce(0, +)
                taps.indices.append(idx)
                taps.weights.append(w.map { Float(total != 0 ? $0 / total : 0) })
            }
        case .pytorch:
            let a = -0.75
            func near(_ x: Double) -> Double { ((a + 2) * x - (a + 3)) * x * x + 1 }
            func far(_ x: Double) -> Double { ((a * x - 5 * a) * x + 8 * a) * x - 4 * a }
            for o in 0..<output {
                let source = (Double(o) + 0.5) * scale - 0.5
                let i0 = Int(source.rounded(.down))
                let t = source - Double(i0)
                let w = [far(t + 1), near(t), near(1 - t), far(2 - t)]
                taps.indices.append((0..<4).map { min(max(i0 - 1 + $0, 0), input - 1) })
                taps.weights.append(w.map(Float.init))
            }
        }
        return taps
    }

    /// Resizes `planes` stacked planes of width × height (row-major, plane after plane) to
    /// toWidth × toHeight each.
    public static func bicubicPlanes(_ data: [Float], planes: Int, width: Int, height: Int, toWidth: Int, toHeight: Int,
                                     convention: Convention) -> [Float] {
        precondition(data.count == planes * width * height && width > 0 && height > 0 && toWidth > 0 && toHeight > 0)
        let tx = taps(input: width, output: toWidth, convention: convention)
        let ty = taps(input: height, output: toHeight, convention: convention)
        // Horizontal pass: [planes, height, toWidth]; then vertical: [planes, toHeight, toWidth].
        var horizontal = [Float](repeating: 0, count: planes * height * toWidth)
        data.withUnsafeBufferPointer { src in
            horizontal.withUnsafeMutableBufferPointer { dst in
                for row in 0..<(planes * height) {
                    let s = src.baseAddress! + row * width, d = dst.baseAddress! + row * toWidth
                    for o in 0..<toWidth {
                        var acc: Float = 0
                        for (i, w) in zip(tx.indices[o], tx.weights[o]) { acc += s[i] * w }
                        d[o] = acc
                    }
                }
            }
        }
        var out = [Float](repeating: 0, count: planes * toHeight * toWidth)
        horizontal.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for p in 0..<planes {
                    let s = src.baseAddress! + p * height * toWidth, d = dst.baseAddress! + p * toHeight * toWidth
                    for o in 0..<toHeight {
                        let line = d + o * toWidth
                        for (i, w) in zip(ty.indices[o], ty.weights[o]) {
                            let input = s + i * toWidth
                            for x in 0..<toWidth { line[x] += input[x] * w }
                        }
                    }
                }
            }
        }
        return out
    }
}

extension Image {
    /// The image resized with bicubic resampling (Pillow's convention by default, as CLIP's
    /// preprocessing applies it). Samples are not clamped.
    public func resizedBicubic(width toWidth: Int, height toHeight: Int, convention: Resampling.Convention = .pil) -> Image {
        if toWidth == width && toHeight == height { return self }
        // Interleaved HWC → planes → resize → interleaved.
        var planes = [Float](repeating: 0, count: pixels.count)
        for i in 0..<(width * height) { for c in 0..<channels { planes[c * width * height + i] = pixels[i * channels + c] } }
        let resized = Resampling.bicubicPlanes(planes, planes: channels, width: width, height: height,
                                               toWidth: toWidth, toHeight: toHeight, convention: convention)
        var out = [Float](repeating: 0, count: toWidth * toHeight * channels)
        for i in 0..<(toWidth * toHeight) { for c in 0..<channels { out[i * channels + c] = resized[c * toWidth * toHeight + i] } }
        return Image(width: toWidth, height: toHeight, channels: channels, pixels: out)
    }
}
