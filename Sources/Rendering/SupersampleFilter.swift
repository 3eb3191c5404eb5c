/// Filters a supersampled grey image down by an integer factor.
public enum SupersampleFilter: String, Sendable, Equatable, CaseIterable {
    /// PIL's antialiased bicubic (a = −0.5, support stretched by the factor), what the reference's
    /// `transforms.Resize(BICUBIC)` does to its 1024-pixel renders.
    case bicubic
    /// Plain average of each factor×factor block.
    case box

    /// Downsamples a `side`×`side` single-channel image (row-major) by `factor`; results clamped to [0, 1].
    public func downsample(_ input: [Float], side: Int, factor: Int) -> [Float] {
        precondition(input.count == side * side, "\(input.count) samples for a \(side)² image")
        return input.withUnsafeBufferPointer { src in
            downsample(side: side, factor: factor) { r, line in line.update(from: src.baseAddress! + r * side, count: side) }
        }
    }

    /// Downsamples an image whose rows `fillRow(r, line)` writes on demand (`side` floats each),
    /// so the full-resolution picture never has to exist as floats.
    func downsample(side: Int, factor: Int, fillRow: (Int, UnsafeMutablePointer<Float>) -> Void) -> [Float] {
        precondition(factor >= 1 && side % factor == 0, "bad downsample request")
        return resize(side: side, to: side / factor, fillRow: fillRow)
    }

    /// Resizes a `side`² image to `out`² (any ratio ≥ 1, as PIL: horizontal pass, then vertical).
    /// With `levels`, both passes round to multiples of 1/levels, as PIL's 8-bit resize stores
    /// its intermediate and final images as bytes.
    func resize(side: Int, to out: Int, levels: Float? = nil, fillRow: (Int, UnsafeMutablePointer<Float>) -> Void) -> [Float] {
        precondition(out >= 1 && out <= side, "bad resize request \(side) → \(out)")
        let line = UnsafeMutablePointer<Float>.allocate(capacity: side)
        defer { line.deallocate() }
        if out == side {
            var result = [Float](repeating: 0, count: side * side)
            for r in 0..<side {
                fillRow(r, line)
                for c in 0..<side { result[r * side + c] = min(1, max(0, line[c])) }
            }
            return result
        }
        let taps = Taps(filter: self, inSize: side, outSize: out)
        // Horizontal pass: side rows × out columns.
        var rows = [Float](repeating: 0, count: side * out)
        // Eight rows at a time, interleaved so each tap is one 8-lane multiply-add: every lane sums
        // its row's taps in the scalar loop's order, so the bits are the same.
        let blocked = side / 8 * 8
        let interleaved = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: side)
        defer { interleaved.deallocate() }
        let lines = UnsafeMutablePointer<Float>.allocate(capacity: 8 * side)
        defer { lines.deallocate() }
        rows.withUnsafeMutableBufferPointer { dst in
            taps.weights.withUnsafeBufferPointer { w in
                for r0 in stride(from: 0, to: blocked, by: 8) {
                    for j in 0..<8 { fillRow(r0 + j, lines + j * side) }
                    for c in 0..<side {
                        interleaved[c] = SIMD8(lines[c], lines[side + c], lines[2 * side + c], lines[3 * side + c],
                                               lines[4 * side + c], lines[5 * side + c], lines[6 * side + c], lines[7 * side + c])
                    }
                    for i in 0..<out {
                        let start = taps.starts[i], wi = w.baseAddress! + i * taps.width
                        var sum = SIMD8<Float>(repeating: 0)
                        for t in 0..<taps.width { sum += wi[t] * interleaved[start + t] }
                        for j in 0..<8 { dst[(r0 + j) * out + i] = sum[j] }
                    }
                    if let levels {
                        for k in (r0 * out)..<((r0 + 8) * out) { dst[k] = (min(1, max(0, dst[k])) * levels).rounded() / levels }
                    }
                }
                for r in blocked..<side {
                    fillRow(r, line)
                    for i in 0..<out {
                        let start = taps.starts[i], wi = w.baseAddress! + i * taps.width
                        var sum: Float = 0
                        for t in 0..<taps.width { sum += wi[t] * line[start + t] }
                        dst[r * out + i] = sum
                    }
                    if let levels {
                        for i in 0..<out { dst[r * out + i] = (min(1, max(0, dst[r * out + i])) * levels).rounded() / levels }
                    }
                }
            }
        }
        // Vertical pass: out rows, vectorised along the columns.
        var result = [Float](repeating: 0, count: out * out)
        rows.withUnsafeBufferPointer { src in
            result.withUnsafeMutableBufferPointer { dst in
                for i in 0..<out {
                    let target = dst.baseAddress! + i * out
                    for t in 0..<taps.width {
                        let w = taps.weights[i * taps.width + t]
                        if w == 0 { continue }
                        let line = src.baseAddress! + (taps.starts[i] + t) * out
                        for c in 0..<out { target[c] += w * line[c] }
                    }
                    for c in 0..<out { target[c] = min(1, max(0, target[c])) }
                    if let levels {
                        for c in 0..<out { target[c] = (target[c] * levels).rounded() / levels }
                    }
                }
            }
        }
        return result
    }

    /// The kernel value at distance `x` in output-pixel units.
    func kernel(_ x: Double) -> Double {
        let a = abs(x)
        switch self {
        case .box:
            return a < 0.5 ? 1 : (a == 0.5 ? 0.5 : 0)
        case .bicubic:
            let c = -0.5
            if a < 1 { return ((c + 2) * a - (c + 3)) * a * a + 1 }
            if a < 2 { return (((a - 5) * a + 8) * a - 4) * c }
            return 0
        }
    }

    var support: Double { self == .box ? 0.5 : 2 }
}

/// Per output pixel: the first input pixel and `width` normalised weights (PIL's `precompute_coeffs`,
/// zero-padded to a common width; edge windows are cut and renormalised).
struct Taps {
    let width: Int
    let starts: [Int]
    let weights: [Float]

    init(filter: SupersampleFilter, inSize: Int, outSize: Int) {
        let scale = Double(inSize) / Double(outSize)
        let support = filter.support * scale
        width = min(Int(support.rounded(.up)) * 2 + 1, inSize)
        var starts = [Int](), weights = [Float](repeating: 0, count: outSize * width)
        for i in 0..<outSize {
            let centre = (Double(i) + 0.5) * scale
            let lo = max(Int(centre - support + 0.5), 0), hi = min(Int(centre + support + 0.5), inSize)
            var w = [Double]()
            for x in lo..<hi { w.append(filter.kernel((Double(x) - centre + 0.5) / scale)) }
            let total = w.reduce(0, +)
            // Shift windows that would run past the end so every tap reads inside the image.
            let start = max(0, min(lo, inSize - width))
            for (k, value) in w.enumerated() {
                weights[i * width + (lo - start) + k] = Float(total != 0 ? value / total : 0)
            }
            starts.append(start)
        }
        self.starts = starts
        self.weights = weights
    }
}
