import Foundation
import PointADSupport
import TensorCore

/// CLIP's text tower (Hugging Face `CLIPTextModel` + `text_projection`): token + positional
/// embeddings, causal pre-LN blocks, final LN, pooling at the first end token, projection.
///
/// The forward is split so that learnable prompts can enter at two points, as in AnomalyCLIP:
/// `tokenEmbeddings(for:)` gives the embeddings a prompt may overwrite, and `encode(embeddings:…)`
/// takes any embeddings plus optional deep tokens that overwrite positions 1…length at the input
/// of blocks 2…(count+1).
public final class TextTransformer: @unchecked Sendable {
    public let configuration: CLIPConfiguration.Text
    /// [vocabulary, width]
    public let tokenEmbedding: Tensor
    /// [contextLength, width]
    public let positionEmbedding: Tensor
    public let layers: [TransformerLayerWeights]
    public let finalLayerNorm: LayerNormWeights
    /// [projectionDim, width] (no bias).
    public let projection: Tensor

    public init(configuration: CLIPConfiguration.Text, tokenEmbedding: Tensor, positionEmbedding: Tensor,
                layers: [TransformerLayerWeights], finalLayerNorm: LayerNormWeights, projection: Tensor) {
        self.configuration = configuration
        self.tokenEmbedding = tokenEmbedding
        self.positionEmbedding = positionEmbedding
        self.layers = layers
        self.finalLayerNorm = finalLayerNorm
        self.projection = projection
    }

    /// Loads the tower from Hugging Face tensor names, checking every shape against the configuration.
    public convenience init(file: any TensorSource, configuration c: CLIPConfiguration.Text, projectionDim: Int) throws {
        let w = c.hiddenSize, p = "text_model."
        let layers = try (0..<c.layers).map {
            try TransformerLayerWeights.load(file, prefix: p + "encoder", index: $0, width: w, intermediate: c.intermediateSize, eps: c.layerNormEps)
        }
        try VisionTransformer.checkNoExtraLayers(file, prefix: p + "encoder", declared: c.layers)
        self.init(
            configuration: c,
            tokenEmbedding: try file.tensor(p + "embeddings.token_embedding.weight", shape: [c.vocabularySize, w]),
            positionEmbedding: try file.tensor(p + "embeddings.position_embedding.weight", shape: [c.contextLength, w]),
            layers: layers,
            finalLayerNorm: try .load(file, p + "final_layer_norm", width: w, eps: c.layerNormEps),
            projection: try file.tensor("text_projection.weight", shape: [projectionDim, w]))
    }

    public var width: Int { configuration.hiddenSize }
    public var contextLength: Int { configuration.contextLength }
    public var projectionDim: Int { projection.shape[0] }

    /// Token embeddings (without positions) of padded id sequences: [sequences, length, width].
    public func tokenEmbeddings(for ids: [[Int32]]) throws -> Tensor {
        let length = ids.first?.count ?? 0
        let w = width, vocabulary = configuration.vocabularySize
        let out = Tensor(zeros: [ids.count, length, w])
        for (s, sequence) in ids.enumerated() {
            guard sequence.count == length, length <= contextLength else {
                throw UsageError("token sequences must share one length ≤ \(contextLength), got \(sequence.count)")
            }
            for (t, id) in sequence.enumerated() {
                guard id >= 0, Int(id) < vocabulary else { throw UsageError("token id \(id) is outside the vocabulary of \(vocabulary)") }
                (out.pointer + (s * length + t) * w).update(from: tokenEmbedding.pointer + Int(id) * w, count: w)
            }
        }
        return out
    }

    /// Encodes padded token id sequences (pooling at each sequence's first end token).
    public func encode(ids: [[Int32]]) throws -> TextOutput {
        let end = configuration.endTokenID
        let pools = try ids.map { sequence in
            guard let position = sequence.firstIndex(of: end) else { throw UsageError("token sequence has no end token \(end)") }
            return position
        }
        return try encode(embeddings: tokenEmbeddings(for: ids), poolAt: pools)
    }

    /// Encodes token embeddings [sequences, length, width] (positions are added here).
    ///
    /// - `poolAt`: per sequence, the position whose final state is pooled (the first end token).
    /// - `deepTokens`: AnomalyCLIP's deep prompts; `deepTokens[j]` ([n, width]) overwrites positions
    ///   1…n of every sequence at the input of block j + 2 (1-based). `roundDeepTokensToHalf`
    ///   rounds them to float16 first, as the authors' code does (`.half()`).
    public func encode(embeddings: Tensor, poolAt: [Int], deepTokens: [Tensor] = [], roundDeepTokensToHalf: Bool = true) throws -> TextOutput {
        let w = width
        guard embeddings.rank == 3, embeddings.shape[2] == w, embeddings.shape[1] <= contextLength, embeddings.shape[1] > 0 else {
            throw UsageError("text embeddings must be [sequences, ≤ \(contextLength), \(w)], got \(embeddings.shape)")
        }
        let sequences = embeddings.shape[0], length = embeddings.shape[1], rows = sequences * length
        guard poolAt.count == sequences, poolAt.allSatisfy({ (0..<length).contains($0) }) else {
            throw UsageError("pooling positions \(poolAt) do not fit \(sequences) sequences of length \(length)")
        }
        guard deepTokens.count < layers.count || deepTokens.isEmpty else {
            throw UsageError("\(deepTokens.count) deep prompt sets need at least \(deepTokens.count + 1) text blocks, the model has \(layers.count)")
        }
        for (j, t) in deepTokens.enumerated() {
            guard t.rank == 2, t.shape[1] == w, t.shape[0] >= 1, t.shape[0] < length else {
                throw UsageError("deep prompt \(j) must be [n < \(length), \(w)], got \(t.shape)")
            }
        }
        let x = embeddings.copy()
        for s in 0..<sequences {
            let row = x.pointer + s * length * w
            let pos = positionEmbedding.pointer
            for i in 0..<(length * w) { row[i] += pos[i] }
        }
        let workspace = TransformerWorkspace(rows: rows, width: w, intermediate: configuration.intermediateSize)
        for (i, block) in layers.enumerated() {
            if i >= 1 && i <= deepTokens.count {
                let deep = deepTokens[i - 1], n = deep.shape[0]
                for s in 0..<sequences {
                    let dst = x.pointer + (s * length + 1) * w
                    for k in 0..<(n * w) { dst[k] = roundDeepTokensToHalf ? Float(Float16(deep.pointer[k])) : deep.pointer[k] }
                }
            }
            try block.forward(x, sequences: sequences, length: length, heads: configuration.heads, activation: configuration.activation,
                              causal: true, workspace: workspace)
        }
        let last = try finalLayerNorm.apply(x).reshaped([sequences, length, w])
        let pooled = Tensor(zeros: [sequences, w])
        for (s, p) in poolAt.enumerated() { (pooled.pointer + s * w).update(from: last.pointer + (s * length + p) * w, count: w) }
        let embeds = try pooled.matmul(projection, transposeOther: true)
        return TextOutput(lastHidden: last, pooled: pooled, textEmbeds: embeds)
    }
}

/// What `TextTransformer.encode` returns.
public struct TextOutput: Sendable {
    /// Final-LN states, [sequences, length, width].
    public let lastHidden: Tensor
    /// The states at the pooling positions, [sequences, width].
    public let pooled: Tensor
    /// Projected pooled states, [sequences, projectionDim] (not normalised).
    public let textEmbeds: Tensor
}
