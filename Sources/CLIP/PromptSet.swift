import TensorCore

/// AnomalyCLIP's learnable prompts (the only tensors PointAD trains):
/// - `contexts[0]` (`ctx_pos`) and `contexts[1]` (`ctx_neg`), [n_ctx, width]: the embeddings that
///   replace the n_ctx "X" tokens of the normal ("X… object.") and abnormal ("X… damaged object.")
///   prompts;
/// - `deepTokens[j]` (`compound_prompts_text.j`), [length, width], shared by both prompts: they
///   overwrite positions 1…length at the input of text block j + 2, so `depth` = deepTokens.count + 1
///   blocks see learnable tokens.
public struct PromptSet: Sendable {
    public var contexts: [Tensor]
    public var deepTokens: [Tensor]

    public init(contexts: [Tensor], deepTokens: [Tensor]) {
        self.contexts = contexts
        self.deepTokens = deepTokens
    }

    public var ctxPos: Tensor { contexts[0] }
    public var ctxNeg: Tensor { contexts[1] }
    /// n_ctx: learnable context tokens per prompt.
    public var contextLength: Int { contexts.first?.shape[0] ?? 0 }
    public var width: Int { contexts.first?.shape.last ?? 0 }
    /// Text blocks that see learnable tokens (AnomalyCLIP's `prompt_depth`, 9 in PointAD).
    public var depth: Int { deepTokens.count + 1 }
    /// Deep tokens per block (AnomalyCLIP's `t_n_ctx`, 4 in PointAD).
    public var deepLength: Int { deepTokens.first?.shape[0] ?? 0 }

    /// The authors' names, in file order: `ctx_pos`, `ctx_neg`, `compound_prompts_text.j`.
    public var names: [String] {
        ["ctx_pos", "ctx_neg"] + deepTokens.indices.map { "compound_prompts_text.\($0)" }
    }

    /// Every tensor with its name.
    public var named: [(name: String, tensor: Tensor)] { Array(zip(names, contexts + deepTokens)) }

    /// Fresh prompts drawn from N(0, 0.02²), the authors' initialisation.
    public static func random(contextLength: Int, width: Int, depth: Int, deepLength: Int, seed: UInt64) -> PromptSet {
        var rng = SeededRandom(seed: seed)
        func draw(_ shape: [Int]) -> Tensor {
            let t = Tensor(zeros: shape)
            for i in 0..<t.count { t.pointer[i] = 0.02 * rng.normal() }
            return t
        }
        return PromptSet(contexts: [draw([contextLength, width]), draw([contextLength, width])],
                         deepTokens: (0..<max(depth - 1, 0)).map { _ in draw([deepLength, width]) })
    }

    /// An independent copy.
    public func copy() -> PromptSet {
        PromptSet(contexts: contexts.map { $0.copy() }, deepTokens: deepTokens.map { $0.copy() })
    }
}
