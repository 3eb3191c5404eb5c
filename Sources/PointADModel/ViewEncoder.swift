import CLIP
import Imaging
import PointADSupport
import TensorCore

/// Runs the frozen CLIP vision tower on rendered views (or an RGB image) and returns what the
/// scoring layers consume: per selected block the L2-normalised projected patch tokens of the
/// DPAM path (class token dropped), and the L2-normalised projected class token of the original path.
public struct ViewEncoder: Sendable {
    public let vision: VisionTransformer
    public let blocks: [Int]
    public let dpamLayer: Int?

    public init(vision: VisionTransformer, layers: LayerSelection = .paper, dpamLayer: Int? = nil) throws {
        let depth = vision.layers.count
        self.vision = vision
        blocks = try layers.blocks(depth: depth)
        let d = dpamLayer ?? LayerSelection.defaultDPAMLayer(depth: depth)
        _ = try vision.firstDPAMBlock(dpamLayer: d)
        self.dpamLayer = d
    }

    /// The model's input side (336 for ViT-L/14@336).
    public var imageSize: Int { vision.configuration.imageSize }

    /// Encodes `images` (any size: bicubic-resized to the model's input as the reference's
    /// preprocessing does) in batches of `batch`; with `cache`, a batch already encoded is read back.
    /// `progress` is told how many images each finished batch held.
    public func encode(_ images: [Image], batch: Int = 9, cache: ViewFeatureCache? = nil, progress: ((Int) -> Void)? = nil) throws -> [ViewFeatures] {
        var out: [ViewFeatures] = []
        var start = 0
        while start < images.count {
            let chunk = Array(images[start..<min(start + max(batch, 1), images.count)])
            let pixels = try ImagePreprocessing.pixels(chunk, size: imageSize)
            if let cache {
                out += try cache.features(pixels: pixels, blocks: blocks, dpamLayer: dpamLayer) { try encode(pixels: pixels) }
            } else {
                out += try encode(pixels: pixels)
            }
            start += chunk.count
            progress?(chunk.count)
        }
        return out
    }

    /// Encodes normalised pixels `[images, 3, H, W]`.
    public func encode(pixels: Tensor) throws -> [ViewFeatures] {
        let output = try vision.encode(pixels: pixels, layers: blocks, dpamLayer: dpamLayer)
        let images = pixels.shape[0]
        let embeds = output.imageEmbeds.copy()
        embeds.l2NormalizeRows()
        let d = embeds.shape[1]
        return try (0..<images).map { b in
            let layers = try blocks.map { block -> Tensor in
                guard let all = output.projectedLayers[block] else { throw UsageError("vision tower returned no tokens for block \(block)") }
                let tokens = all.shape[1]
                // Drop the class token (row 0): the patch grid starts at row 1.
                let patches = try Tensor(storage: all.storage, offset: all.offset + (b * tokens + 1) * d, shape: [tokens - 1, d]).copy()
                patches.l2NormalizeRows()
                return patches
            }
            return try ViewFeatures(layers: layers, classEmbedding: embeds.row(b))
        }
    }
}
