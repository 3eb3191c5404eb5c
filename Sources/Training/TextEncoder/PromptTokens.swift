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

    /// The normal and abnormal prompts of AnomalyCLIP / PointAD (BPE ids of "x", "object",
    /// "damaged" and "." in the OpenAI vocabulary, as `prompt.tokenized` of the reference fixture).
    public static func objectAgnostic(contextLength n: Int) -> PromptTokens {
        let x: Int32 = 343, object: Int32 = 14115, damaged: Int32 = 13568, period: Int32 = 269
        let context = [Int32](repeating: x, count: n)
        return PromptTokens(ids: [[startOfText] + context + [object, period, endOfText],
                                  [startOfText] + context + [damaged, object, period, endOfText]],
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
