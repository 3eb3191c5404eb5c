import PointClouds
import TensorCore

/// Smoothing of per-point scores over 3D neighbourhoods, for unorganised clouds where the
/// reference's 2D blur of the point list (dossier §3.4) would mix points that are merely adjacent
/// in file order.
public enum SpatialSmoothing {
    /// Each score becomes the Gaussian-weighted mean over its `neighbours` nearest points (itself
    /// included), weights exp(−d²/2σ²). With `sigma` nil, σ is half the mean distance to the
    /// farthest of those neighbours, so the blur follows the cloud's own spacing.
    public static func smooth(_ scores: [Float], positions: [SIMD3<Float>], neighbours: Int = 16, sigma: Float? = nil) -> [Float] {
        precondition(scores.count == positions.count, "\(scores.count) scores for \(positions.count) points")
        let n = positions.count
        guard n > 1, neighbours > 1 else { return scores }
        let k = min(neighbours, n)
        let table = KDTree(positions, threads: ComputeThreads.count).neighborsOfAllPoints(k: k, threads: ComputeThreads.count)
        let s: Float
        if let sigma { s = sigma } else {
            var farthest = 0.0
            for i in 0..<n { farthest += Double(table.squaredDistances[i * k + k - 1]).squareRoot() }
            s = Float(farthest / Double(n)) / 2
        }
        guard s > 0 else { return scores }
        let scale = -1 / (2 * s * s)
        var result = [Float](repeating: 0, count: n)
        for i in 0..<n {
            var sum: Float = 0, total: Float = 0
            for j in (i * k)..<((i + 1) * k) {
                let w = FastMath.exp(table.squaredDistances[j] * scale)
                sum += w * scores[Int(table.indices[j])]
                total += w
            }
            result[i] = total > 0 ? sum / total : scores[i]
        }
        return result
    }
}
