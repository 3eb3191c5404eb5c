import PointADSupport
import TensorCore

/// PointAD+'s geometry layer: each point's G-aggregated representation z_j = Σ_i w_ji h_i over its
/// neighbours (`GeometryAggregation`), L2-normalised, scored against the geometry prompts:
/// s^g_j = softmax(ẑ_j · T_gᵀ / τ)[abnormal].
///
/// Two passes: the point features h_i = Σ c_iq F_q from their patch mixtures (4 rows per view that
/// shows the point; stored in half precision), then z_j from the k neighbours' h. Fusing the passes (z_j straight from the
/// union of its neighbours' patch rows) costs more: neighbours are seen by different views, so that
/// union holds ~3× the rows. The second pass walks the points in Morton (z-order) so neighbouring
/// points, whose neighbour lists overlap, run one after another and find their h rows in cache.
public struct GeometryLayer: Sendable {
    public let prompts: PromptFeatures
    public let aggregation: GeometryAggregation
    public let temperature: Float

    public init(prompts: PromptFeatures, aggregation: GeometryAggregation = GeometryAggregation(),
                temperature: Float = SimilarityTemperature.reference) {
        self.prompts = prompts
        self.aggregation = aggregation
        self.temperature = temperature
    }

    /// Abnormal probability of every point. `tokens` are the stacked patch tokens `[views·P, D]`,
    /// `weights` from `aggregation.weights` (aligned with `neighbourhoods`); `positions` only set
    /// the order of work (nil: point order).
    public func score(tokens: Tensor, mixture: PatchMixture, weights: [Float], neighbourhoods: PointNeighbourhoods,
                      positions: [SIMD3<Float>]? = nil) throws -> [Float] {
        let n = mixture.pointCount, d = prompts.width, k = neighbourhoods.k
        try Self.check(tokens: tokens, mixture: mixture, weights: weights, neighbourhoods: neighbourhoods, width: d)
        let features = mixture.halfFeatures(tokens: tokens)
        let order = positions.map { MortonOrder.permutation($0) } ?? Array(0..<n)
        var logits = [Float](repeating: 0, count: 2 * n)
        let tn = prompts.embeddings.pointer, ta = tn + d, h = features.pointer
        logits.withUnsafeMutableBufferPointer { lb in
            order.withUnsafeBufferPointer { ob in
                neighbourhoods.indices.withUnsafeBufferPointer { ib in
                    weights.withUnsafeBufferPointer { wb in
                        let l = lb.baseAddress!, op = ob.baseAddress!, ip = ib.baseAddress!, wp = wb.baseAddress!
                        Parallel.forChunks(n, costPerItem: (k + 3) * d) { range in
                            let z = UnsafeMutablePointer<Float>.allocate(capacity: d)
                            defer { z.deallocate() }
                            for position in range {
                                let j = op[position]
                                z.update(repeating: 0, count: d)
                                for m in 0..<k {
                                    let w = wp[j * k + m]
                                    if w == 0 { continue }
                                    let src = h + Int(ip[j * k + m]) * d
                                    for i in 0..<d { z[i] += w * Float(src[i]) }
                                }
                                var nn: Float = 0, dn: Float = 0, da: Float = 0
                                for i in 0..<d { nn += z[i] * z[i]; dn += z[i] * tn[i]; da += z[i] * ta[i] }
                                let inv = nn > 0 ? 1 / nn.squareRoot() : 0
                                l[2 * j] = dn * inv
                                l[2 * j + 1] = da * inv
                            }
                        }
                    }
                }
            }
        }
        return logits.withUnsafeBufferPointer { PatchScoring.logisticOfDifference($0.baseAddress!, rows: n, temperature: temperature) }
    }

    /// The aggregated representations z_j (not normalised) of the points `points`: `[R, D]`.
    /// Training computes the geometry layer's frozen inputs with this.
    public static func aggregatedFeatures(points: [Int], tokens: Tensor, mixture: PatchMixture, weights: [Float],
                                          neighbourhoods: PointNeighbourhoods) throws -> Tensor {
        let d = tokens.shape.last ?? 0, k = neighbourhoods.k
        try check(tokens: tokens, mixture: mixture, weights: weights, neighbourhoods: neighbourhoods, width: d)
        var involved: [Int] = []
        var slot = [Int: Int]()
        for j in points {
            for m in 0..<k where weights[j * k + m] != 0 {
                let i = Int(neighbourhoods.indices[j * k + m])
                if slot[i] == nil { slot[i] = involved.count; involved.append(i) }
            }
        }
        let h = mixture.features(tokens: tokens, points: involved)
        let out = Tensor(zeros: [points.count, d])
        for (r, j) in points.enumerated() {
            let row = out.pointer + r * d
            for m in 0..<k {
                let w = weights[j * k + m]
                if w == 0 { continue }
                let src = h.pointer + slot[Int(neighbourhoods.indices[j * k + m])]! * d
                for i in 0..<d { row[i] += w * src[i] }
            }
        }
        return out
    }

    static func check(tokens: Tensor, mixture: PatchMixture, weights: [Float], neighbourhoods: PointNeighbourhoods, width d: Int) throws {
        let n = mixture.pointCount
        guard tokens.rank == 2, tokens.shape[0] == mixture.patchRows, tokens.shape[1] == d,
              neighbourhoods.pointCount == n, weights.count == n * neighbourhoods.k else {
            throw UsageError("geometry layer: tokens \(tokens.shape) for \(mixture.patchRows) patch rows of width \(d), \(n) points, \(neighbourhoods.pointCount) neighbourhoods, \(weights.count) weights")
        }
    }
}
