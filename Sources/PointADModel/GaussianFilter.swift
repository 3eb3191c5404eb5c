import Foundation

/// `scipy.ndimage.gaussian_filter(map, sigma)` on a 2-D float map: separable, `mode='reflect'`
/// (edge sample repeated: d c b a | a b c d | d c b a), kernel radius `Int(truncate·σ + 0.5)`
/// (σ = 4 → 16, 33 taps), weights exp(−x²/2σ²) normalised to sum 1. PointAD smooths its
/// 336×336 point maps with σ = 4 (dossier §3.4); scipy accumulates in double, and so does this.
public struct GaussianFilter: Sendable {
    public let sigma: Double
    public let radius: Int
    let taps: [Double]

    public init(sigma: Double = 4, truncate: Double = 4) {
        self.sigma = sigma
        radius = sigma > 0 ? Int(truncate * sigma + 0.5) : 0
        if radius == 0 {
            taps = [1]
        } else {
            let raw = (-radius...radius).map { x in Foundation.exp(-0.5 / (sigma * sigma) * Double(x * x)) }
            let total = raw.reduce(0, +)
            taps = raw.map { $0 / total }
        }
    }

    /// The filtered map (`width × height`, row-major).
    public func apply(_ map: [Float], width: Int, height: Int) -> [Float] {
        precondition(map.count == width * height, "map of \(map.count) values for \(width)x\(height)")
        if radius == 0 || map.isEmpty { return map }
        // Axis 0 (down the columns) first, then axis 1, as scipy does.
        var vertical = [Double](repeating: 0, count: map.count)
        let rowIndex = Self.reflectedIndices(length: height, radius: radius)
        for y in 0..<height {
            for (t, tap) in taps.enumerated() {
                let source = rowIndex[y + t] * width
                for x in 0..<width { vertical[y * width + x] += tap * Double(map[source + x]) }
            }
        }
        var out = [Float](repeating: 0, count: map.count)
        let columnIndex = Self.reflectedIndices(length: width, radius: radius)
        for y in 0..<height {
            let row = y * width
            for x in 0..<width {
                var s = 0.0
                for (t, tap) in taps.enumerated() { s += tap * vertical[row + columnIndex[x + t]] }
                out[row + x] = Float(s)
            }
        }
        return out
    }

    /// For output i and tap t (offset t − radius), the source index is `table[i + t]`:
    /// scipy's 'reflect' boundary, folded as often as needed for lines shorter than the kernel.
    static func reflectedIndices(length: Int, radius: Int) -> [Int] {
        (-radius..<(length + radius)).map { i in
            if length == 1 { return 0 }
            let period = 2 * length
            var m = i % period
            if m < 0 { m += period }
            return m < length ? m : period - 1 - m
        }
    }
}
