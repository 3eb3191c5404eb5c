import PointADSupport
import TensorCore

/// G-aggregation (PointAD+, reconstructed — the paper's exact weighting is not public; see README
/// "PointAD+ choices"): each point's explicit representation is a geometry-weighted mean of its
/// neighbours' gathered features,
///
///     z_j = Σ_{i ∈ kNN(j), ‖p_i − p_j‖ ≤ r} w_ji · h_i / Σ w_ji,
///     w_ji = exp(−‖p_i − p_j‖² / (2 σ_j²)) · |n_i · n_j|^γ,
///
/// with σ_j = `distanceScale` × the distance to j's farthest kept neighbour (so the kernel adapts to
/// the local point density and is unit-free), and |n_i · n_j| because PCA normals have no sign.
/// Neighbours across a crease (normals disagreeing) and far away count less, so a dent or bump
/// keeps its own representation instead of being averaged into the flat surface around it.
public struct GeometryAggregation: Sendable, Equatable, Codable {
    /// Neighbours per point (the point itself included).
    public var neighbours: Int = 16
    /// Neighbours farther than this (cloud units) are dropped; nil keeps all k.
    public var radius: Float?
    /// σ_j as a fraction of the neighbourhood radius; 0 gives equal distance weights.
    public var distanceScale: Float = 0.5
    /// γ, the exponent of the normal-agreement term; 0 ignores normals.
    public var normalPower: Int = 2

    public init(neighbours: Int = 16, radius: Float? = nil, distanceScale: Float = 0.5, normalPower: Int = 2) {
        self.neighbours = neighbours
        self.radius = radius
        self.distanceScale = distanceScale
        self.normalPower = normalPower
    }

    public func validate() throws {
        guard neighbours >= 1 else { throw UsageError("G-aggregation: neighbours must be ≥ 1, got \(neighbours)") }
        if let radius, !(radius > 0) { throw UsageError("G-aggregation: radius must be > 0, got \(radius)") }
        guard distanceScale >= 0, distanceScale.isFinite else { throw UsageError("G-aggregation: distance scale must be ≥ 0, got \(distanceScale)") }
        guard normalPower >= 0 else { throw UsageError("G-aggregation: normal power must be ≥ 0, got \(normalPower)") }
    }

    /// Normalised weights `[N · k]` aligned with `neighbourhoods.indices` (0 for dropped neighbours).
    /// Uses the first `min(neighbours, neighbourhoods.k)` neighbours of each list.
    public func weights(positions: [SIMD3<Float>], normals: [SIMD3<Float>]?, neighbourhoods: PointNeighbourhoods) -> [Float] {
        let k = neighbourhoods.k, used = min(neighbours, k), n = neighbourhoods.pointCount
        var out = [Float](repeating: 0, count: n * k)
        let r2 = radius.map { $0 * $0 } ?? .infinity
        neighbourhoods.indices.withUnsafeBufferPointer { idx in
            neighbourhoods.squaredDistances.withUnsafeBufferPointer { dist in
                out.withUnsafeMutableBufferPointer { w in
                    let ip = idx.baseAddress!, dp = dist.baseAddress!, wp = w.baseAddress!
                    Parallel.forChunks(n, costPerItem: 8 * used) { range in
                        for j in range {
                            let base = j * k
                            var far: Float = 0
                            for m in 0..<used where dp[base + m] <= r2 { far = max(far, dp[base + m]) }
                            let sigma2 = distanceScale * distanceScale * far
                            let inv = sigma2 > 0 ? 1 / (2 * sigma2) : 0
                            var total: Float = 0
                            for m in 0..<used where dp[base + m] <= r2 {
                                var value = FastMath.exp(-dp[base + m] * inv)
                                if let normals, normalPower > 0 {
                                    let agreement = abs((normals[j] * normals[Int(ip[base + m])]).sum())
                                    var p: Float = 1
                                    for _ in 0..<normalPower { p *= agreement }
                                    value *= p
                                }
                                wp[base + m] = value
                                total += value
                            }
                            if total > 0 {
                                let s = 1 / total
                                for m in 0..<used { wp[base + m] *= s }
                            } else {
                                // Every neighbour weighed 0 (normals all perpendicular): keep the point's own feature.
                                wp[base] = 1
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
