import Imaging
import PointADModel
import PointADSupport
import PointClouds
import Rendering
import TensorCore

/// Turns a labelled point cloud into a `TrainingExample`: renders its views (with the label masks
/// drawn the same way), runs the frozen vision tower once per view, and keeps each point's pixels.
/// This is the expensive part of training; the feature cache stores its result.
public struct TrainingExampleBuilder: Sendable {
    public let renderer: MultiViewRenderer
    public let encoder: ViewEncoder

    public init(renderer: MultiViewRenderer, encoder: ViewEncoder) throws {
        guard renderer.settings.size == encoder.imageSize else {
            throw UsageError("renders of \(renderer.settings.size) px for a vision tower of \(encoder.imageSize) px input")
        }
        self.renderer = renderer
        self.encoder = encoder
    }

    /// One object. `pointLabels` (1 = anomalous) per point of `cloud`; `objectLabel` 1 when defective.
    ///
    /// Points that no view shows carry no gradient and are left out of the example (the reference
    /// instead lends them a neighbour's visibility, which matters for scoring, not for the losses'
    /// gradients). Pixel masks: a pixel is anomalous when its rendered label exceeds 0.5, as the
    /// reference thresholds its rendered ground truth.
    public func example(cloud: PointCloud, pointLabels: [UInt8], objectLabel: Int) throws -> TrainingExample {
        guard pointLabels.count == cloud.count, cloud.count > 0 else {
            throw UsageError("\(cloud.source ?? "cloud"): \(pointLabels.count) labels for \(cloud.count) points")
        }
        let views = try renderer.render(cloud, labels: pointLabels.map { $0 != 0 ? 1 : 0 })
        let images = try views.map { v -> Image in
            guard let image = v.image else { throw UsageError("the renderer returned a view without an image") }
            return image
        }
        let features = try encoder.encode(images)
        let size = renderer.settings.size
        let masks = views.map { v -> [UInt8] in
            guard let mask = v.mask else { return [UInt8](repeating: 0, count: size * size) }
            return mask.pixels.map { $0 > 0.5 ? 1 : 0 }
        }
        var seen = [Bool](repeating: false, count: cloud.count)
        for v in views { for j in 0..<cloud.count where v.projection.visible[j] { seen[j] = true } }
        let kept = (0..<cloud.count).filter { seen[$0] }
        guard !kept.isEmpty else { throw UsageError("\(cloud.source ?? "cloud"): no point is visible in any view") }
        let pixels = views.map { v in kept.map { v.projection.visible[$0] ? v.projection.pixels[$0] : -1 } }
        return try TrainingExample(patchTokens: Self.stackPatchTokens(features), classTokens: Self.stackClassTokens(features),
                                   imageSize: size, pixelMasks: masks,
                                   backProjection: PointBackProjection(pixels: pixels, pixelsPerView: size * size),
                                   pointLabels: kept.map { pointLabels[$0] != 0 ? 1 : 0 }, objectLabel: objectLabel)
    }

    /// [views, layers, patches, D] from each view's per-layer [patches, D] tokens.
    static func stackPatchTokens(_ views: [ViewFeatures]) throws -> Tensor {
        let first = views[0].layers[0], layers = views[0].layers.count
        let out = Tensor(zeros: [views.count, layers] + first.shape)
        var offset = 0
        for v in views {
            for l in v.layers {
                guard l.shape == first.shape else { throw UsageError("views disagree on patch-token shapes \(l.shape) and \(first.shape)") }
                (out.pointer + offset).update(from: l.pointer, count: l.count)
                offset += l.count
            }
        }
        return out
    }

    static func stackClassTokens(_ views: [ViewFeatures]) throws -> Tensor {
        let d = views[0].classEmbedding.count
        let out = Tensor(zeros: [views.count, d])
        for (k, v) in views.enumerated() { (out.pointer + k * d).update(from: v.classEmbedding.pointer, count: d) }
        return out
    }
}
