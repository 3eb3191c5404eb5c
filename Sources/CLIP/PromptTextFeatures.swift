import PointADSupport
import TensorCore

/// AnomalyCLIP's object-agnostic prompt templates and their text features.
public enum ObjectAgnosticPrompts {
    /// "X ×n object." (normal) and "X ×n damaged object." (abnormal).
    public static func texts(contextLength n: Int) -> [String] {
        let x = Array(repeating: "X", count: n).joined(separator: " ")
        return ["\(x) object.", "\(x) damaged object."]
    }

    /// Their token ids padded to the context length with 0, as the authors' tokenizer does.
    public static func tokenIDs(contextLength n: Int, tokenizer: CLIPTokenizer, length: Int = 77) -> [[Int32]] {
        texts(contextLength: n).map { tokenizer.encodePadded($0, contextLength: length, padding: 0) }
    }
}

extension TextTransformer {
    /// Text features [2, projectionDim] (normal, abnormal; not normalised) of the object-agnostic
    /// prompts with `prompts`' learnable vectors: positions 1…n_ctx of each prompt take the
    /// context vectors, and the deep tokens enter blocks 2…depth (see `encode(embeddings:…)`).
    public func promptFeatures(_ prompts: PromptSet, tokenizer: CLIPTokenizer, roundDeepTokensToHalf: Bool = true) throws -> Tensor {
        guard prompts.width == width else {
            throw UsageError("prompts have width \(prompts.width) but the model's text width is \(width)")
        }
        guard prompts.contexts.count == 2 else { throw UsageError("expected 2 prompt contexts (normal, abnormal), got \(prompts.contexts.count)") }
        let n = prompts.contextLength
        let ids = ObjectAgnosticPrompts.tokenIDs(contextLength: n, tokenizer: tokenizer, length: contextLength)
        let pools = try ids.map { sequence in
            guard let p = sequence.firstIndex(of: configuration.endTokenID), p > n else {
                throw UsageError("\(n) context tokens do not fit the \(contextLength)-token text context")
            }
            return p
        }
        guard prompts.depth <= layers.count, prompts.deepLength < pools.min()! else {
            throw UsageError("deep prompts of depth \(prompts.depth) and length \(prompts.deepLength) do not fit a \(layers.count)-block text encoder")
        }
        let embeddings = try tokenEmbeddings(for: ids)
        for (s, context) in prompts.contexts.enumerated() {
            (embeddings.pointer + (s * contextLength + 1) * width).update(from: context.pointer, count: n * width)
        }
        return try encode(embeddings: embeddings, poolAt: pools, deepTokens: prompts.deepTokens,
                          roundDeepTokensToHalf: roundDeepTokensToHalf).textEmbeds
    }
}
