import CLIP
import PointADSupport
import TensorCore

extension PromptSet {
    /// Every learnable tensor in the file order of `names` (contexts, then deep tokens): the
    /// optimiser's parameter order.
    public var tensors: [Tensor] { contexts + deepTokens }

    /// Zero tensors of the same shapes.
    public func zerosLike() -> PromptSet {
        PromptSet(contexts: contexts.map { Tensor(zeros: $0.shape) }, deepTokens: deepTokens.map { Tensor(zeros: $0.shape) })
    }
}

/// Gradients of the learnable prompt tensors for a loss on the normalised text features: what
/// `pointad embed --grad-weights` writes, and the check against the authors' own gradients.
public enum PromptGradients {
    /// For loss = Σ normalise(text_features) ⊙ `weights` ([2, projectionDim]): the text features
    /// (not normalised, [2, projectionDim]), the loss, and ∂loss/∂(every prompt tensor), named as
    /// `PromptSet.names` with the same shapes.
    public static func ofWeightedFeatures(text: TextTransformer, tokenizer: CLIPTokenizer, prompts: PromptSet,
                                          weights: Tensor) throws -> (features: Tensor, loss: Double, gradients: PromptSet) {
        let encoder = try PromptTextEncoder(text)
        guard prompts.width == encoder.width else {
            throw UsageError("prompts have width \(prompts.width) but the model's text width is \(encoder.width)")
        }
        guard weights.count == 2 * encoder.outputWidth else {
            throw UsageError("gradient weights have shape \(weights.shape), expected [2, \(encoder.outputWidth)]")
        }
        let tokens = PromptTokens.objectAgnostic(contextLength: prompts.contextLength, tokenizer: tokenizer)
        let tape = try encoder.forward(tokens: tokens, prompts: prompts)
        let (normalized, norms) = L2Normalization.forward(tape.features)
        var loss = 0.0
        for i in 0..<normalized.count { loss += Double(normalized.pointer[i]) * Double(weights.pointer[i]) }
        let dFeatures = try L2Normalization.backward(try weights.reshaped(normalized.shape), output: normalized, norms: norms)
        return (tape.features, loss, try encoder.backward(dFeatures, tape: tape))
    }
}
