import Rendering
import TensorCore

/// Each point's feature as a sparse mix of patch-token rows (PointAD+'s "implicit point
/// representation"): h_j = mean over the views that show point j of the bilinearly upsampled
/// patch-feature map at its pixel = Σ_q c_jq F_q, with F the patch tokens of all views stacked
/// `[views · P, D]` (row k·P + q is view k's patch q) and at most 4 non-zero c per view.
///
/// Upsampled feature maps would be `imageSize² × D` per view (336² × 768 × 9 ≈ 3 GB), and even the
/// gathered `[N, D]` features are 614 MB for 200k points; the mixture is a few dozen bytes per
/// point, and F (16 MB for ViT-L) stays in cache while points are aggregated and scored.
public struct PatchMixture: Sendable {
    /// Point j's terms are `offsets[j] ..< offsets[j+1]` of `rows` / `weights` (CSR).
    public let offsets: [Int32]
    public let rows: [Int32]
    public let weights: [Float]
    /// Rows of the stacked token matrix (views · P).
    public let patchRows: Int

    public var pointCount: Int { offsets.count - 1 }

    /// Points no view shows get no terms (a zero feature, which drops out of the cosine after
    /// aggregation with their neighbours).
    public init(upsampler: BilinearUpsampler, projections: [ViewProjection]) {
        let n = projections.first?.count ?? 0, p = upsampler.source * upsampler.source
        var offsets = [Int32](repeating: 0, count: n + 1), rows = [Int32](), weights = [Float]()
        rows.reserveCapacity(n * 12)
        weights.reserveCapacity(n * 12)
        for j in 0..<n {
            var seen = 0
            for view in projections where view.visible[j] { seen += 1 }
            if seen > 0 {
                let scale = 1 / Float(seen)
                for (k, view) in projections.enumerated() where view.visible[j] {
                    let (idx, w) = upsampler.corners(x: view.column(j), y: view.row(j))
                    for c in 0..<4 where w[c] != 0 {
                        rows.append(Int32(k * p) + idx[c])
                        weights.append(w[c] * scale)
                    }
                }
            }
            offsets[j + 1] = Int32(rows.count)
        }
        self.offsets = offsets
        self.rows = rows
        self.weights = weights
        patchRows = projections.count * p
    }

    /// The views' patch tokens (each `[P, D]`, layer mean) stacked into `[views · P, D]`.
    public static func stack(_ views: [ViewFeatures]) throws -> Tensor {
        let first = try views[0].meanPatchTokens()
        let p = first.shape[0], d = first.shape[1]
        let out = Tensor(zeros: [views.count * p, d])
        for (k, view) in views.enumerated() {
            let tokens = k == 0 ? first : try view.meanPatchTokens()
            (out.pointer + k * p * d).update(from: tokens.pointer, count: p * d)
        }
        return out
    }

    /// h_j for the points `points`: `[R, D]` (for training and tests; scoring never stores them).
    public func features(tokens: Tensor, points: [Int]) -> Tensor {
        let d = tokens.shape[1]
        let out = Tensor(zeros: [points.count, d])
        for (r, j) in points.enumerated() {
            let row = out.pointer + r * d
            for t in Int(offsets[j])..<Int(offsets[j + 1]) {
                let src = tokens.pointer + Int(rows[t]) * d, w = weights[t]
                for i in 0..<d { row[i] += w * src[i] }
            }
        }
        return out
    }

    /// h_j for every point, `[N, D]`, in half precision: at 200k points × 768 that is 307 MB instead
    /// of 614, written once and read k times by the aggregation. Half precision keeps 11 bits, so
    /// a cosine moves by ~1e-4 and an abnormal probability by < 1e-3.
    public func halfFeatures(tokens: Tensor) -> HalfMatrix {
        let n = pointCount, d = tokens.shape[1]
        let out = HalfMatrix(rows: n, cols: d)
        let f = tokens.pointer, o = out.pointer
        offsets.withUnsafeBufferPointer { ob in
            rows.withUnsafeBufferPointer { rb in
                weights.withUnsafeBufferPointer { wb in
                    let op = ob.baseAddress!, rp = rb.baseAddress!, wp = wb.baseAddress!
                    Parallel.forChunks(n, costPerItem: 8 * d) { range in
                        let acc = UnsafeMutablePointer<Float>.allocate(capacity: d)
                        defer { acc.deallocate() }
                        for j in range {
                            acc.update(repeating: 0, count: d)
                            for t in Int(op[j])..<Int(op[j + 1]) {
                                let src = f + Int(rp[t]) * d, w = wp[t]
                                for i in 0..<d { acc[i] += w * src[i] }
                            }
                            let row = o + j * d
                            for i in 0..<d { row[i] = Float16(acc[i]) }
                        }
                    }
                }
            }
        }
        return out
    }
}
