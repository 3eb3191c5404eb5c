import PointADSupport
import TensorCore

/// PointAD+'s geometry layer: the G-aggregated point representations z_j, L2-normalised, scored
/// against the geometry prompts: s^g_j = softmax(ẑ_j · T_gᵀ / τ)[abnormal].
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

    /// Abnormal probability of every point. `features` are the gathered point features `[N, D]`
    /// (`PointFeatureGather`), `weights` from `aggregation.weights`. Fused per point: aggregate into a
    /// scratch row, then its norm and two dot products, so no `[N, D]` result is stored.
    public func score(features: Tensor, weights: [Float], neighbourhoods: PointNeighbourhoods) throws -> [Float] {
        let n = neighbourhoods.pointCount, d = prompts.width, k = neighbourhoods.k
        guard features.rank == 2, features.shape[0] == n, features.shape[1] == d, weights.count == n * k else {
            throw UsageError("geometry layer: features \(features.shape), \(weights.count) weights, \(n) points × \(k) neighbours, width \(d)")
        }
        var logits = [Float](repeating: 0, count: 2 * n)
        let h = features.pointer, tn = prompts.embeddings.pointer, ta = tn + d
        logits.withUnsafeMutableBufferPointer { lb in
            neighbourhoods.indices.withUnsafeBufferPointer { ib in
                weights.withUnsafeBufferPointer { wb in
                    let l = lb.baseAddress!, ip = ib.baseAddress!, wp = wb.baseAddress!
                    Parallel.forChunks(n, costPerItem: (k + 3) * d) { range in
                        let z = UnsafeMutablePointer<Float>.allocate(capacity: d)
                        defer { z.deallocate() }
                        for j in range {
                            z.update(repeating: 0, count: d)
                            for m in 0..<k {
                                let w = wp[j * k + m]
                                if w == 0 { continue }
                                let src = h + Int(ip[j * k + m]) * d
                                for i in 0..<d { z[i] += w * src[i] }
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
        return logits.withUnsafeBufferPointer { PatchScoring.logisticOfDifference($0.baseAddress!, rows: n, temperature: temperature) }
    }
}
