import CLIP

/// Token ids of the learnable prompts and where their learnable context sits.
///
/// AnomalyCLIP's object-agnostic template: "[SOT] X×n object . [EOT]" (normal) and
/// "[SOT] X×n damaged object . [EOT]" (abnormal); the n "X" embeddings are replaced by learnable
/// vectors (positions 1…n). Pooling reads the end-of-text token (the largest id, 49407).
public struct PromptTokens: Sendable, Equatable {
    /// One id list per prompt, unpadded, ending with the end-of-text token.
    public let ids: [[Int32]]
    /// Number of learnable context tokens, at positions 1…contextLength of every prompt.
    public let contextLength: Int

    public static let startOfText: Int32 = 49406
    public static let endOfText: Int32 = 49407

    public init(ids: [[Int32]], contextLength: Int) {
        self.ids = ids
        self.contextLength = contextLength
    }

    /// The normal and abnormal prompts of AnomalyCLIP / PointAD ("X…X object." and
    /// "X…X damaged object."), tokenised by the model's tokenizer, cut after the end token.
    public static func objectAgnostic(contextLength n: Int, tokenizer: CLIPTokenizer) -> PromptTokens {
        let padded = ObjectAgnosticPrompts.tokenIDs(contextLength: n, tokenizer: tokenizer)
        return PromptTokens(ids: padded.map { ids in Array(ids.prefix((ids.firstIndex(of: endOfText) ?? ids.count - 1) + 1)) },
                            contextLength: n)
    }

    /// Position of each prompt's end-of-text token (the first occurrence of the largest id, as
    /// the reference's `argmax`).
    public var poolingPositions: [Int] {
        ids.map { seq in
            var best = 0
            for (i, t) in seq.enumerated() where t > seq[best] { best = i }
            return best
        }
    }
}
