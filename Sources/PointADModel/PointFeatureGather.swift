import TensorCore

/// The geometry layer's input (PointAD+ "implicit point representation"): each point's feature is
/// the mean, over the views that show it, of the upsampled patch-feature map at its pixel.
///
/// Upsampled feature maps would be `imageSize² × D` per view (336² × 768 × 9 ≈ 3 GB); the value at
/// one pixel is the bilinear mix of four patch tokens, so each point reads those four rows of the
/// `[P, D]` token matrix directly. Cost: 4 · views · D multiply-adds per point; memory: `[N, D]`.
public enum PointFeatureGather {
    /// `[N, D]` point features. `tokens[k]` is view k's `[P, D]` patch-token matrix (layer mean).
    public static func gather(tokens: [Tensor], upsampler: BilinearUpsampler,
                              correspondences: [ViewCorrespondence], visibility: PointVisibility) -> Tensor {
        let n = correspondences.first?.pointCount ?? 0
        let d = tokens.first?.shape.last ?? 0
        let out = Tensor(zeros: [n, d])
        let o = out.pointer
        let sources = tokens.map { UnsafePointer($0.pointer) }
        Parallel.forChunks(n, costPerItem: 4 * d * tokens.count) { range in
            for j in range {
                let count = visibility.viewCounts[j]
                if count == 0 { continue }
                let scale = 1 / Float(count)
                let row = o + j * d
                for k in correspondences.indices where visibility.visible[k][j] {
                    let p = correspondences[k].pixels[j]
                    let (idx, w) = upsampler.corners(x: Int(p.x), y: Int(p.y))
                    let t = sources[k]
                    let a = t + Int(idx[0]) * d, b = t + Int(idx[1]) * d, c = t + Int(idx[2]) * d, e = t + Int(idx[3]) * d
                    let wa = w[0] * scale, wb = w[1] * scale, wc = w[2] * scale, we = w[3] * scale
                    for i in 0..<d { row[i] += wa * a[i] + wb * b[i] + wc * c[i] + we * e[i] }
                }
            }
        }
        return out
    }
}
