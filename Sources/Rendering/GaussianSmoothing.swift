import Foundation

/// `scipy.ndimage.gaussian_filter(map, sigma, mode='reflect', truncate=4)` on a 2D map, as the
/// reference smooths its 336×336 anomaly maps (σ = 4: radius 16, 33 taps, dossier §3.4).
///
/// Separable: axis 0 (down the columns) first, then axis 1, each pass summed in double precision and
/// stored as float32, as scipy does for a float32 input. `reflect` mirrors about the edge with the
/// edge sample repeated (d c b a | a b c d | d c b a), periodically for radii beyond the map.
public enum GaussianSmoothing {
    public static func filter(_ map: [Float], width: Int, height: Int, sigma: Double = 4, truncate: Double = 4) -> [Float] {
        precondition(map.count == width * height, "map of \(map.count) values is not \(width)×\(height)")
        guard sigma > 0, width > 0, height > 0 else { return map }
        let weights = kernel(sigma: sigma, truncate: truncate)
        let radius = weights.count / 2
        var vertical = [Float](repeating: 0, count: map.count)
        for y in 0..<height {
            let sources = (-radius...radius).map { reflect(y + $0, height) * width }
            for x in 0..<width {
                var sum = 0.0
                for t in 0..<weights.count { sum += weights[t] * Double(map[sources[t] + x]) }
                vertical[y * width + x] = Float(sum)
            }
        }
        var result = [Float](repeating: 0, count: map.count)
        let columns = (0..<width).map { x in (-radius...radius).map { reflect(x + $0, width) } }
        for y in 0..<height {
            let line = y * width
            for x in 0..<width {
                var sum = 0.0
                let sources = columns[x]
                for t in 0..<weights.count { sum += weights[t] * Double(vertical[line + sources[t]]) }
                result[line + x] = Float(sum)
            }
        }
        return result
    }

    /// Normalised Gaussian taps, radius `Int(truncate·σ + 0.5)`.
    static func kernel(sigma: Double, truncate: Double) -> [Double] {
        let radius = Int(truncate * sigma + 0.5)
        var w = (-radius...radius).map { x -> Double in
            let t = Double(x) / sigma
            return exp(-0.5 * t * t)
        }
        let total = w.reduce(0, +)
        for i in w.indices { w[i] /= total }
        return w
    }

    /// Index `i` mirrored into [0, n) with the edge repeated, periodic with period 2n.
    static func reflect(_ i: Int, _ n: Int) -> Int {
        let m = ((i % (2 * n)) + 2 * n) % (2 * n)
        return m < n ? m : 2 * n - 1 - m
    }
}
