import TensorCore

/// The tensors that learn in PointAD: one context per prompt ([n_ctx, width]; `ctx_pos` for the
/// normal prompt, `ctx_neg` for the abnormal one) and the deep tokens shared by all prompts
/// (`compound_prompts_text.j`, [length, width], replacing positions 1…length at the input of text
/// block j+2).
public struct TrainablePrompts: Sendable {
    public var contexts: [Tensor]
    public var deepTokens: [Tensor]

    public init(contexts: [Tensor], deepTokens: [Tensor]) {
        self.contexts = contexts
        self.deepTokens = deepTokens
    }

    /// Fresh prompts drawn from N(0, 0.02²) as the reference's initialisation.
    /// `depth` counts text blocks that see learnable tokens (block 1 sees the contexts), so there
    /// are depth − 1 deep token sets.
    public static func random(prompts: Int = 2, contextLength: Int, width: Int, depth: Int, deepLength: Int,
                              seed: UInt64) -> TrainablePrompts {
        var rng = SeededRandom(seed: seed)
        func draw(_ shape: [Int]) -> Tensor {
            let t = Tensor(zeros: shape)
            for i in 0..<t.count { t.pointer[i] = 0.02 * rng.normal() }
            return t
        }
        let contexts = (0..<prompts).map { _ in draw([contextLength, width]) }
        let deep = (0..<max(depth - 1, 0)).map { _ in draw([deepLength, width]) }
        return TrainablePrompts(contexts: contexts, deepTokens: deep)
    }

    /// Every learnable tensor, contexts first, in a fixed order (the optimiser's parameter order).
    public var all: [Tensor] { contexts + deepTokens }

    /// The reference's names: `ctx_pos`, `ctx_neg` (or `ctx_i` beyond two prompts), then
    /// `compound_prompts_text.j`.
    public var names: [String] {
        let ctx = contexts.count == 2 ? ["ctx_pos", "ctx_neg"] : contexts.indices.map { "ctx_\($0)" }
        return ctx + deepTokens.indices.map { "compound_prompts_text.\($0)" }
    }

    /// Zero tensors of the same shapes (gradient accumulators).
    public func zerosLike() -> TrainablePrompts {
        TrainablePrompts(contexts: contexts.map { Tensor(zeros: $0.shape) },
                         deepTokens: deepTokens.map { Tensor(zeros: $0.shape) })
    }

    /// An independent copy.
    public func copy() -> TrainablePrompts {
        TrainablePrompts(contexts: contexts.map { $0.copy() }, deepTokens: deepTokens.map { $0.copy() })
    }
}
