import CLIP
import PointADSupport
import TensorCore

/// CLIP's frozen text transformer run on learnable prompts, with the backward pass from the text
/// features to the prompt vectors (AnomalyCLIP's `encode_text_learn`).
///
/// Forward: x₀ = [SOT, ctx, suffix] embeddings + positional embedding; before text block i+1
/// (i = 1…depth−1) positions 1…length are overwritten by deep token set i (rounded to float16 as
/// the reference's `.half()`); features = ln_final(x)[EOT] · projection.
///
/// Because attention is causal, the pooled end-of-text row depends only on the tokens before it,
/// so sequences are cut right after the last prompt's end token (17 of 77 tokens for PointAD's
/// prompts): the result is the same, at a quarter of the work.
public struct PromptTextEncoder: Sendable {
    public let tokenEmbedding: Tensor
    public let positionalEmbedding: Tensor
    public let blocks: [TextTransformerBlock]
    public let finalNorm: LayerNormLayer
    /// [projectionWidth, width] (Hugging Face layout), no bias.
    public let projection: FrozenLinear
    /// The reference rounds deep tokens to float16 on the way in (and so each prompt's share of
    /// their gradient on the way out).
    public var roundsDeepTokensToHalf = true

    public init(tokenEmbedding: Tensor, positionalEmbedding: Tensor, blocks: [TextTransformerBlock],
                finalNorm: LayerNormLayer, projection: FrozenLinear) throws {
        let w = tokenEmbedding.shape.last ?? 0
        guard tokenEmbedding.rank == 2, positionalEmbedding.rank == 2, positionalEmbedding.shape[1] == w,
              blocks.allSatisfy({ $0.attention.width == w }), finalNorm.gamma.count == w, projection.inputWidth == w
        else {
            throw TensorError.shapeMismatch(operation: "text encoder",
                                            shapes: [tokenEmbedding.shape, positionalEmbedding.shape, projection.weight.shape])
        }
        self.tokenEmbedding = tokenEmbedding
        self.positionalEmbedding = positionalEmbedding
        self.blocks = blocks
        self.finalNorm = finalNorm
        self.projection = projection
    }

    /// The same weights as CLIP's text tower (no copies).
    public init(_ text: TextTransformer) throws {
        guard text.configuration.activation == .quickGELU else {
            throw UsageError("training supports QuickGELU text encoders (OpenAI CLIP); this one uses \(text.configuration.activation.rawValue)")
        }
        func linear(_ l: LinearWeights) throws -> FrozenLinear { try FrozenLinear(weight: l.weight, bias: l.bias) }
        func norm(_ n: LayerNormWeights) throws -> LayerNormLayer { try LayerNormLayer(gamma: n.gamma, beta: n.beta, eps: n.eps) }
        let blocks = try text.layers.map { l in
            try TextTransformerBlock(
                norm1: norm(l.layerNorm1),
                attention: CausalSelfAttention(query: linear(l.query), key: linear(l.key), value: linear(l.value),
                                               outProjection: linear(l.output), heads: text.configuration.heads),
                norm2: norm(l.layerNorm2), fc1: linear(l.fc1), fc2: linear(l.fc2))
        }
        try self.init(tokenEmbedding: text.tokenEmbedding, positionalEmbedding: text.positionEmbedding, blocks: blocks,
                      finalNorm: norm(text.finalLayerNorm), projection: FrozenLinear(weight: text.projection, bias: nil))
    }

    public var width: Int { tokenEmbedding.shape[1] }
    public var outputWidth: Int { projection.outputWidth }

    /// Everything the backward pass needs from one forward pass.
    public struct Tape: Sendable {
        let tokens: PromptTokens
        let length: Int
        let deepLength: Int
        let deepCount: Int
        let blockCaches: [TextTransformerBlock.Cache]
        let finalNorm: LayerNormLayer.Cache
        /// [prompts, projectionWidth], not normalised.
        public let features: Tensor
    }

    /// Text features [prompts, projectionWidth] (not normalised), with the tape for `backward`.
    public func forward(tokens: PromptTokens, prompts: PromptSet) throws -> Tape {
        let w = width, n = tokens.contextLength, sequences = tokens.ids.count
        try validate(tokens: tokens, prompts: prompts)
        let eot = tokens.poolingPositions
        let length = eot.max()! + 1
        let deepLength = prompts.deepLength
        // Embeddings: fixed tokens from the table, learnable context at 1…n; pad rows (past a
        // shorter prompt's end) repeat its end token and never reach a pooled row.
        var x = Tensor(zeros: [sequences * length, w])
        let vocabulary = tokenEmbedding.shape[0]
        for s in 0..<sequences {
            let ids = tokens.ids[s], ctx = prompts.contexts[s].pointer
            for t in 0..<length {
                let row = x.pointer + (s * length + t) * w, pos = positionalEmbedding.pointer + t * w
                if t >= 1 && t <= n {
                    for j in 0..<w { row[j] = ctx[(t - 1) * w + j] + pos[j] }
                } else {
                    let id = Int(ids[min(t, ids.count - 1)])
                    guard id >= 0 && id < vocabulary else { throw TensorError.outOfBounds("token id \(id) with a vocabulary of \(vocabulary)") }
                    let e = tokenEmbedding.pointer + id * w
                    for j in 0..<w { row[j] = e[j] + pos[j] }
                }
            }
        }
        var caches: [TextTransformerBlock.Cache] = []
        caches.reserveCapacity(blocks.count)
        for (i, block) in blocks.enumerated() {
            if i >= 1 && i <= prompts.deepTokens.count {
                overwriteDeepTokens(in: x, with: prompts.deepTokens[i - 1], sequences: sequences, length: length)
            }
            let (y, cache) = try block.forward(x, sequences: sequences, length: length)
            x = y
            caches.append(cache)
        }
        let pooled = Tensor(zeros: [sequences, w])
        for s in 0..<sequences { (pooled.pointer + s * w).update(from: x.pointer + (s * length + eot[s]) * w, count: w) }
        let (normed, normCache) = try finalNorm.forward(pooled)
        let features = try projection.forward(normed)
        return Tape(tokens: tokens, length: length, deepLength: deepLength, deepCount: prompts.deepTokens.count, blockCaches: caches,
                    finalNorm: normCache, features: features)
    }

    /// Gradients of the learnable prompts for ∂L/∂features ([prompts, projectionWidth]).
    public func backward(_ featureGradient: Tensor, tape: Tape) throws -> PromptSet {
        let w = width, sequences = tape.tokens.ids.count, length = tape.length, n = tape.tokens.contextLength
        guard featureGradient.count == tape.features.count else {
            throw TensorError.shapeMismatch(operation: "text features gradient", shapes: [featureGradient.shape, tape.features.shape])
        }
        let dNormed = try projection.backward(try featureGradient.reshaped([sequences, outputWidth]))
        let dPooled = try finalNorm.backward(dNormed, cache: tape.finalNorm)
        var dx = Tensor(zeros: [sequences * length, w])
        let eot = tape.tokens.poolingPositions
        for s in 0..<sequences { (dx.pointer + (s * length + eot[s]) * w).update(from: dPooled.pointer + s * w, count: w) }
        let deepCount = tape.deepCount
        var dDeep = [Tensor](repeating: Tensor(zeros: [0]), count: deepCount)
        for i in stride(from: blocks.count - 1, through: 0, by: -1) {
            dx = try blocks[i].backward(dx, cache: tape.blockCaches[i])
            if i >= 1 && i <= deepCount {
                // The deep tokens replaced these rows: their gradient goes to the tokens (summed
                // over prompts, which share them) and nothing flows to the overwritten rows. The
                // reference's float16 cast rounds each prompt's share before the sum (its autograd
                // casts the gradient back through `.half()`), which the authors' gradients show.
                let g = Tensor(zeros: [tape.deepLength, w])
                let round = roundsDeepTokensToHalf
                for s in 0..<sequences {
                    for t in 0..<tape.deepLength {
                        let src = dx.pointer + (s * length + 1 + t) * w, dst = g.pointer + t * w
                        for j in 0..<w { dst[j] += round ? Float(Float16(src[j])) : src[j]; src[j] = 0 }
                    }
                }
                dDeep[i - 1] = g
            }
        }
        let dContexts = (0..<sequences).map { s -> Tensor in
            let g = Tensor(zeros: [n, w])
            g.pointer.update(from: dx.pointer + (s * length + 1) * w, count: n * w)
            return g
        }
        return PromptSet(contexts: dContexts, deepTokens: dDeep)
    }

    private func validate(tokens: PromptTokens, prompts: PromptSet) throws {
        let w = width, n = tokens.contextLength
        guard prompts.contexts.count == tokens.ids.count else {
            throw TensorError.invalidArgument("\(prompts.contexts.count) learnable contexts for \(tokens.ids.count) prompts")
        }
        for c in prompts.contexts where c.count != n * w || c.shape.last != w {
            throw TensorError.shapeMismatch(operation: "learnable context of \(n) tokens, width \(w)", shapes: [c.shape])
        }
        guard prompts.deepTokens.count < blocks.count else {
            throw TensorError.invalidArgument("\(prompts.deepTokens.count) deep token sets for \(blocks.count) text blocks")
        }
        let deepLength = prompts.deepLength
        for d in prompts.deepTokens where d.rank != 2 || d.shape != [deepLength, w] {
            throw TensorError.shapeMismatch(operation: "deep tokens [\(deepLength), \(w)]", shapes: [d.shape])
        }
        let eot = tokens.poolingPositions
        guard let longest = eot.max(), longest < positionalEmbedding.shape[0],
              tokens.ids.allSatisfy({ $0.count > n }), eot.allSatisfy({ $0 > n }), deepLength < eot.min()!
        else {
            throw TensorError.invalidArgument("prompts of \(tokens.ids.map(\.count)) tokens do not fit \(n) context tokens, deep length \(deepLength) and \(positionalEmbedding.shape[0]) positions")
        }
    }

    private func overwriteDeepTokens(in x: Tensor, with tokens: Tensor, sequences: Int, length: Int) {
        let w = width, l = tokens.shape[0], src = tokens.pointer, round = roundsDeepTokensToHalf
        for s in 0..<sequences {
            let dst = x.pointer + (s * length + 1) * w
            for i in 0..<(l * w) { dst[i] = round ? Float(Float16(src[i])) : src[i] }
        }
    }
}
