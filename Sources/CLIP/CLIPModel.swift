import Foundation
import PointADSupport
import TensorCore

/// A CLIP model loaded from a Hugging Face folder (`config.json`, `model.safetensors`,
/// `vocab.json`, `merges.txt`), e.g. `openai/clip-vit-large-patch14-336`, from its PyTorch or
/// sharded variants, or from OpenAI's `.pt` (see `CLIPCheckpoint`). The weights stay in the
/// memory-mapped file; either tower can be left out (the vision benchmark loads only the image side).
public final class CLIPModel: @unchecked Sendable {
    public struct Parts: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let vision = Parts(rawValue: 1)
        public static let text = Parts(rawValue: 2)
        public static let tokenizer = Parts(rawValue: 4)
        public static let all: Parts = [.vision, .text, .tokenizer]
    }

    public let directory: URL
    public let configuration: CLIPConfiguration
    public let weights: any TensorSource
    public let vision: VisionTransformer?
    public let text: TextTransformer?
    public let tokenizer: CLIPTokenizer?
    /// log of CLIP's logit scale (`logit_scale`), 1/0.07 → 4.6052 when absent.
    public let logitScale: Float

    public init(directory: URL, parts: Parts = .all) throws {
        self.directory = directory
        let checkpoint = try CLIPCheckpoint.open(directory)
        configuration = checkpoint.configuration
        weights = checkpoint.weights
        vision = parts.contains(.vision)
            ? try VisionTransformer(file: weights, configuration: configuration.vision, projectionDim: configuration.projectionDim) : nil
        text = parts.contains(.text)
            ? try TextTransformer(file: weights, configuration: configuration.text, projectionDim: configuration.projectionDim) : nil
        tokenizer = parts.contains(.tokenizer) ? try checkpoint.tokenizerDirectory.map(CLIPTokenizer.init(directory:)) ?? .openAI() : nil
        logitScale = weights.contains("logit_scale") ? try weights.tensor("logit_scale").pointer[0] : 4.6052
    }

    /// The vision tower, or an error saying it was not loaded.
    public func requireVision() throws -> VisionTransformer {
        guard let vision else { throw UsageError("the CLIP vision tower was not loaded") }
        return vision
    }

    public func requireText() throws -> TextTransformer {
        guard let text else { throw UsageError("the CLIP text tower was not loaded") }
        return text
    }

    public func requireTokenizer() throws -> CLIPTokenizer {
        guard let tokenizer else { throw UsageError("the CLIP tokenizer was not loaded") }
        return tokenizer
    }

    /// Token ids of `texts`, padded to the context length with the end token (Hugging Face's choice).
    public func tokenize(_ texts: [String], padding: Int32? = nil) throws -> [[Int32]] {
        let t = try requireTokenizer()
        return texts.map { t.encodePadded($0, contextLength: configuration.text.contextLength, padding: padding) }
    }
}
