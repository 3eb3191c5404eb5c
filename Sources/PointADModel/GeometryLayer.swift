import PointADSupport
import TensorCore

/// PointAD+'s geometry layer: each point's G-aggregated representation z_j = Σ_i w_ji h_i over its
/// neighbours (`GeometryAggregation`), L2-normalised, scored against the geometry prompts:
/// s^g_j = softmax(ẑ_j · T_gᵀ / τ)[abnormal].
///
/// Since every h_i is a sparse mix of patch-token rows (`PatchMixture`), so is z_j: its
/// coefficients are accumulated per point into a small dense scratch over the stacked rows, then
/// z_j is formed from the few dozen rows it touches. The `[N, D]` point features are never stored.
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
    /// `weights` from `aggregation.weights` (aligned with `neighbourhoods`).
    public func score(tokens: Tensor, mixture: PatchMixture, weights: [Float], neighbourhoods: PointNeighbourhoods) throws -> [Float] {
        let n = mixture.pointCount, d = prompts.width
        try Self.check(tokens: tokens, mixture: mixture, weights: weights, neighbourhoods: neighbourhoods, width: d)
        var logits = [Float](repeating: 0, count: 2 * n)
        let tn = prompts.embeddings.pointer, ta = tn + d
        logits.withUnsafeMutableBufferPointer { lb in
            let l = lb.baseAddress!
            Parallel.forChunks(n, costPerItem: 32 * d) { range in
                Self.forEachAggregate(range, tokens: tokens, mixture: mixture, weights: weights, neighbourhoods: neighbourhoods) { j, z in
                    var nn: Float = 0, dn: Float = 0, da: Float = 0
                    for i in 0..<d { nn += z[i] * z[i]; dn += z[i] * tn[i]; da += z[i] * ta[i] }
                    let inv = nn > 0 ? 1 / nn.squareRoot() : 0
                    l[2 * j] = dn * inv
                    l[2 * j + 1] = da * inv
                }
            }
        }
        return logits.withUnsafeBufferPointer { PatchScoring.logisticOfDifference($0.baseAddress!, rows: n, temperature: temperature) }
    }

    /// The aggregated representations z_j (not normalised) of the points `points`: `[R, D]`.
    /// Training computes the geometry layer's frozen inputs with this.
    public static func aggregatedFeatures(points: [Int], tokens: Tensor, mixture: PatchMixture, weights: [Float],
                                          neighbourhoods: PointNeighbourhoods) throws -> Tensor {
        let d = tokens.shape.last ?? 0
        try check(tokens: tokens, mixture: mixture, weights: weights, neighbourhoods: neighbourhoods, width: d)
        let out = Tensor(zeros: [points.count, d])
        for (r, j) in points.enumerated() {
            forEachAggregate(j..<(j + 1), tokens: tokens, mixture: mixture, weights: weights, neighbourhoods: neighbourhoods) { _, z in
                (out.pointer + r * d).update(from: z, count: d)
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

    /// Calls `body(j, z_j)` for each point of `range`, z_j in a scratch row valid during the call.
    static func forEachAggregate(_ range: Range<Int>, tokens: Tensor, mixture: PatchMixture, weights: [Float],
                                 neighbourhoods: PointNeighbourhoods, _ body: (Int, UnsafeMutablePointer<Float>) -> Void) {
        let d = tokens.shape[1], k = neighbourhoods.k
        let z = UnsafeMutablePointer<Float>.allocate(capacity: d)
        let coefficients = UnsafeMutablePointer<Float>.allocate(capacity: mixture.patchRows)
        coefficients.initialize(repeating: 0, count: mixture.patchRows)
        var touched = [Int32]()
        defer { z.deallocate(); coefficients.deallocate() }
        let f = tokens.pointer
        mixture.offsets.withUnsafeBufferPointer { offsets in
            mixture.rows.withUnsafeBufferPointer { rows in
                mixture.weights.withUnsafeBufferPointer { mix in
                    neighbourhoods.indices.withUnsafeBufferPointer { neighbours in
                        weights.withUnsafeBufferPointer { w in
                            for j in range {
                                touched.removeAll(keepingCapacity: true)
                                for m in 0..<k {
                                    let wj = w[j * k + m]
                                    if wj == 0 { continue }
                                    let i = Int(neighbours[j * k + m])
                                    for t in Int(offsets[i])..<Int(offsets[i + 1]) {
                                        let row = Int(rows[t])
                                        if coefficients[row] == 0 { touched.append(rows[t]) }
                                        coefficients[row] += wj * mix[t]
                                    }
                                }
                                z.update(repeating: 0, count: d)
                                for row in touched {
                                    let c = coefficients[Int(row)]
                                    coefficients[Int(row)] = 0
                                    let src = f + Int(row) * d
                                    for i in 0..<d { z[i] += c * src[i] }
                                }
                                body(j, z)
                            }
                        }
                    }
                }
            }
        }
    }
}
