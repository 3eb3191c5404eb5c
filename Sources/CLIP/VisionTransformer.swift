import Foundation
import Imaging
import PointADSupport
import TensorCore

/// CLIP's image tower (Hugging Face `CLIPVisionModel` + `visual_projection`): patch embedding
/// (a stride-p convolution, done as one GEMM over all patches of all images), class token,
/// positional embedding, pre-LN, pre-LN transformer blocks, post-LN, projection.
public final class VisionTransformer: @unchecked Sendable {
    public let configuration: CLIPConfiguration.Vision
    /// [width]
    public let classEmbedding: Tensor
    /// Convolution kernel flattened to [width, channels·patch·patch] (c, ky, kx order).
    public let patchEmbedding: Tensor
    /// [tokens, width] at the trained input size.
    public let positionEmbedding: Tensor
    public let preLayerNorm: LayerNormWeights
    public let layers: [TransformerLayerWeights]
    public let postLayerNorm: LayerNormWeights
    /// [projectionDim, width] (no bias).
    public let projection: Tensor

    private let interpolatedPositions = NSCache<NSString, TensorBox>()

    public init(configuration: CLIPConfiguration.Vision, classEmbedding: Tensor, patchEmbedding: Tensor, positionEmbedding: Tensor,
                preLayerNorm: LayerNormWeights, layers: [TransformerLayerWeights], postLayerNorm: LayerNormWeights, projection: Tensor) {
        self.configuration = configuration
        self.classEmbedding = classEmbedding
        self.patchEmbedding = patchEmbedding
        self.positionEmbedding = positionEmbedding
        self.preLayerNorm = preLayerNorm
        self.layers = layers
        self.postLayerNorm = postLayerNorm
        self.projection = projection
    }

    /// Loads the tower from Hugging Face tensor names, checking every shape against the
    /// configuration.
    public convenience init(file: any TensorSource, configuration c: CLIPConfiguration.Vision, projectionDim: Int) throws {
        let d = c.hiddenSize, p = "vision_model."
        let kernel = try file.tensor(p + "embeddings.patch_embedding.weight", shape: [d, c.channels, c.patchSize, c.patchSize])
        let layers = try (0..<c.layers).map {
            try TransformerLayerWeights.load(file, prefix: p + "encoder", index: $0, width: d, intermediate: c.intermediateSize, eps: c.layerNormEps)
        }
        try Self.checkNoExtraLayers(file, prefix: p + "encoder", declared: c.layers)
        self.init(
            configuration: c,
            classEmbedding: try file.tensor(p + "embeddings.class_embedding", shape: [d]),
            patchEmbedding: try kernel.reshaped([d, c.channels * c.patchSize * c.patchSize]),
            positionEmbedding: try file.tensor(p + "embeddings.position_embedding.weight", shape: [c.tokens, d]),
            // "pre_layrnorm" is the real (misspelt) Hugging Face name.
            preLayerNorm: try .load(file, p + "pre_layrnorm", width: d, eps: c.layerNormEps),
            layers: layers,
            postLayerNorm: try .load(file, p + "post_layernorm", width: d, eps: c.layerNormEps),
            projection: try file.tensor("visual_projection.weight", shape: [projectionDim, d]))
    }

    /// A file with more blocks than the configuration declares is a mismatch, not something to ignore.
    static func checkNoExtraLayers(_ file: any TensorSource, prefix: String, declared: Int) throws {
        let extra = "\(prefix).layers.\(declared).layer_norm1.weight"
        if file.contains(extra) {
            throw FileError(file.path, "tensor '\(extra)' exists but config.json declares only \(declared) layers")
        }
    }

    public var width: Int { configuration.hiddenSize }
    public var projectionDim: Int { projection.shape[0] }

    /// The first block (1-based) that runs the value–value path for the authors' `DPAM_layer` D:
    /// the last D − 1 blocks do (D = 1: none, i.e. depth + 1).
    public func firstDPAMBlock(dpamLayer: Int) throws -> Int {
        let depth = layers.count
        guard dpamLayer >= 1, dpamLayer <= depth + 1 else {
            throw UsageError("DPAM layer \(dpamLayer) is out of range for a \(depth)-block vision transformer (1…\(depth + 1); the last D−1 blocks use the value–value path)")
        }
        return depth - dpamLayer + 2
    }

    /// Encodes a batch of images `pixels` [images, channels, height, width] (already normalised).
    ///
    /// - `layers`: blocks (1-based; 0 = the pre-LN embeddings) whose tokens are returned through
    ///   post-LN and the projection, [images, tokens, projectionDim], class token first.
    /// - `dpamLayer`: the authors' D; blocks from `firstDPAMBlock` on run the value–value path and
    ///   the returned tokens of those blocks come from it. The class embedding always comes from
    ///   the original path.
    /// - `keepHidden`: also return every block's raw output (for parity tests).
    public func encode(pixels: Tensor, layers requested: [Int] = [], dpamLayer: Int? = nil, keepHidden: Bool = false) throws -> VisionOutput {
        let c = configuration, d = width
        guard pixels.rank == 4, pixels.shape[1] == c.channels else {
            throw UsageError("vision input must be [images, \(c.channels), height, width], got \(pixels.shape)")
        }
        let images = pixels.shape[0], height = pixels.shape[2], widthPixels = pixels.shape[3]
        guard height % c.patchSize == 0, widthPixels % c.patchSize == 0, height > 0, widthPixels > 0 else {
            throw UsageError("image size \(widthPixels)×\(height) is not a multiple of the patch size \(c.patchSize)")
        }
        for l in requested where l < 0 || l > layers.count {
            throw UsageError("layer \(l) is out of range: the vision transformer has \(layers.count) blocks (0 = embeddings)")
        }
        let firstDPAM = try dpamLayer.map { try firstDPAMBlock(dpamLayer: $0) } ?? Int.max
        let gh = height / c.patchSize, gw = widthPixels / c.patchSize
        let tokens = gh * gw + 1, rows = images * tokens

        let x = try embed(pixels, gridHeight: gh, gridWidth: gw)
        try preLayerNorm.apply(x, into: x)
        var hidden: [Tensor] = keepHidden ? [x.copy()] : []
        var projected: [Int: Tensor] = [:]
        if requested.contains(0) { projected[0] = try project(x, images: images, tokens: tokens) }

        let workspace = TransformerWorkspace(rows: rows, width: d, intermediate: c.intermediateSize)
        // Nothing is computed that no output reads: the value–value path stops after the last
        // requested block, and the last block's original path runs for the class tokens only
        // unless its other tokens are returned.
        let lastRead = requested.max() ?? 0
        var valuePath: Tensor?
        for (i, block) in layers.enumerated() {
            let index = i + 1
            if index == firstDPAM && index <= lastRead { valuePath = x.copy() }
            if index > lastRead { valuePath = nil }
            let tokensRead = keepHidden || (index == layers.count && valuePath == nil && requested.contains(index))
            try block.forward(x, sequences: images, length: tokens, heads: c.heads, activation: c.activation, causal: false,
                              workspace: workspace, valuePath: valuePath, tokens: index < layers.count || tokensRead ? .all : .first)
            if keepHidden { hidden.append(x.copy()) }
            if requested.contains(index) {
                projected[index] = try project(valuePath ?? x, images: images, tokens: tokens, scratch: workspace.query)
            }
        }

        // Class token of the original path → post-LN → projection.
        let pooled = Tensor(zeros: [images, d])
        for b in 0..<images { pooled.pointer.advanced(by: b * d).update(from: x.pointer + b * tokens * d, count: d) }
        try postLayerNorm.apply(pooled, into: pooled)
        let embeds = try pooled.matmul(projection, transposeOther: true)
        return VisionOutput(pooled: pooled, imageEmbeds: embeds, projectedLayers: projected,
                            hidden: try hidden.map { try $0.reshaped([images, tokens, d]) })
    }

    /// post-LN then projection of every token: [images, tokens, projectionDim]. The post-LN
    /// output goes to `scratch` when given (a free workspace buffer of at least the state's size).
    func project(_ state: Tensor, images: Int, tokens: Int, scratch: Tensor? = nil) throws -> Tensor {
        let normed = try postLayerNorm.apply(state, into: try scratch.map { try $0.rows(0..<state.count / width).reshaped(state.shape) })
        return try normed.matmul(projection, transposeOther: true).reshaped([images, tokens, projectionDim])
    }

    /// Patch embedding + class token + positional embedding: [images·tokens, width].
    func embed(_ pixels: Tensor, gridHeight gh: Int, gridWidth gw: Int) throws -> Tensor {
        let c = configuration, d = width, p = c.patchSize, channels = c.channels
        let images = pixels.shape[0], height = pixels.shape[2], widthPixels = pixels.shape[3]
        let patches = gh * gw, tokens = patches + 1, k = channels * p * p
        // im2col: one row per patch, columns in the kernel's (c, ky, kx) order.
        let columns = Tensor(zeros: [images * patches, k])
        let src = pixels.pointer, dst = columns.pointer
        Parallel.forChunks(images * patches, costPerItem: k) { r in
            for row in r {
                let b = row / patches, py = (row % patches) / gw, px = row % gw
                var o = dst + row * k
                for ch in 0..<channels {
                    let plane = src + (b * channels + ch) * height * widthPixels
                    for ky in 0..<p {
                        let line = plane + (py * p + ky) * widthPixels + px * p
                        for kx in 0..<p { o[kx] = line[kx] }
                        o += p
                    }
                }
            }
        }
        let patchTokens = try columns.matmul(patchEmbedding, transposeOther: true)  // [images·patches, d]
        let positions = try positionEmbedding(gridHeight: gh, gridWidth: gw)
        let x = Tensor(zeros: [images * tokens, d])
        let xp = x.pointer, pt = patchTokens.pointer, pos = positions.pointer, cls = classEmbedding.pointer
        for b in 0..<images {
            let base = xp + b * tokens * d
            for j in 0..<d { base[j] = cls[j] + pos[j] }
            for n in 0..<patches {
                let o = base + (n + 1) * d, s = pt + (b * patches + n) * d, q = pos + (n + 1) * d
                for j in 0..<d { o[j] = s[j] + q[j] }
            }
        }
        return x
    }

    /// The positional embedding for a gh × gw grid: the trained one, or its patch part resized
    /// with PyTorch's bicubic (align_corners = false) as transformers' `interpolate_pos_encoding`
    /// does; cached per grid size.
    public func positionEmbedding(gridHeight gh: Int, gridWidth gw: Int) throws -> Tensor {
        let n = configuration.gridSize, d = width
        if gh == n && gw == n { return positionEmbedding }
        let key = "\(gh)x\(gw)" as NSString
        if let cached = interpolatedPositions.object(forKey: key) { return cached.tensor }
        // Channel planes [d, n, n] → resized [d, gh, gw] → rows again.
        var planes = [Float](repeating: 0, count: d * n * n)
        let src = positionEmbedding.pointer
        for t in 0..<(n * n) { for j in 0..<d { planes[j * n * n + t] = src[(t + 1) * d + j] } }
        let resized = Resampling.bicubicPlanes(planes, planes: d, width: n, height: n, toWidth: gw, toHeight: gh, convention: .pytorch)
        let out = Tensor(zeros: [gh * gw + 1, d])
        out.pointer.update(from: src, count: d)
        for t in 0..<(gh * gw) { for j in 0..<d { out.pointer[(t + 1) * d + j] = resized[j * gh * gw + t] } }
        interpolatedPositions.setObject(TensorBox(out), forKey: key)
        return out
    }
}

/// What `VisionTransformer.encode` returns.
public struct VisionOutput: Sendable {
    /// post-LN class token of the last block (original path), [images, width].
    public let pooled: Tensor
    /// Projected class token, [images, projectionDim] (`image_embeds`; PointAD's global feature
    /// before L2 normalisation).
    public let imageEmbeds: Tensor
    /// Requested layers' tokens through post-LN and projection, [images, tokens, projectionDim].
    public let projectedLayers: [Int: Tensor]
    /// Raw block outputs when asked for: index 0 is the pre-LN embedding, i is block i; [images, tokens, width].
    public let hidden: [Tensor]
}

final class TensorBox {
    let tensor: Tensor
    init(_ tensor: Tensor) { self.tensor = tensor }
}
