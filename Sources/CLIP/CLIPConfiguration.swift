import Foundation
import PointADSupport
import TensorCore

/// The sizes of a CLIP model, read from a Hugging Face `config.json` (`CLIPModel`): any size
/// (ViT-B/32, B/16, L/14, L/14@336) is described by these fields.
public struct CLIPConfiguration: Sendable, Equatable {
    public struct Vision: Sendable, Equatable {
        public var hiddenSize: Int
        public var intermediateSize: Int
        public var layers: Int
        public var heads: Int
        public var imageSize: Int
        public var patchSize: Int
        public var channels: Int
        public var activation: Activation
        public var layerNormEps: Float

        public init(hiddenSize: Int, intermediateSize: Int, layers: Int, heads: Int, imageSize: Int, patchSize: Int,
                    channels: Int = 3, activation: Activation = .quickGELU, layerNormEps: Float = 1e-5) {
            self.hiddenSize = hiddenSize
            self.intermediateSize = intermediateSize
            self.layers = layers
            self.heads = heads
            self.imageSize = imageSize
            self.patchSize = patchSize
            self.channels = channels
            self.activation = activation
            self.layerNormEps = layerNormEps
        }

        /// Patches per side at the trained input size.
        public var gridSize: Int { imageSize / patchSize }
        /// Tokens at the trained input size: class token plus patches.
        public var tokens: Int { gridSize * gridSize + 1 }
    }

    public struct Text: Sendable, Equatable {
        public var hiddenSize: Int
        public var intermediateSize: Int
        public var layers: Int
        public var heads: Int
        public var contextLength: Int
        public var vocabularySize: Int
        public var activation: Activation
        public var layerNormEps: Float
        public var startTokenID: Int32
        public var endTokenID: Int32

        public init(hiddenSize: Int, intermediateSize: Int, layers: Int, heads: Int, contextLength: Int = 77,
                    vocabularySize: Int = 49408, activation: Activation = .quickGELU, layerNormEps: Float = 1e-5,
                    startTokenID: Int32 = 49406, endTokenID: Int32 = 49407) {
            self.hiddenSize = hiddenSize
            self.intermediateSize = intermediateSize
            self.layers = layers
            self.heads = heads
            self.contextLength = contextLength
            self.vocabularySize = vocabularySize
            self.activation = activation
            self.layerNormEps = layerNormEps
            self.startTokenID = startTokenID
            self.endTokenID = endTokenID
        }
    }

    public var vision: Vision
    public var text: Text
    /// Width of the joint embedding space (both projections' output).
    public var projectionDim: Int

    public init(vision: Vision, text: Text, projectionDim: Int) {
        self.vision = vision
        self.text = text
        self.projectionDim = projectionDim
    }

    /// OpenAI's ViT-L/14 at 336 px (`openai/clip-vit-large-patch14-336`), the model PointAD uses.
    public static let vitL14at336 = CLIPConfiguration(
        vision: Vision(hiddenSize: 1024, intermediateSize: 4096, layers: 24, heads: 16, imageSize: 336, patchSize: 14),
        text: Text(hiddenSize: 768, intermediateSize: 3072, layers: 12, heads: 12),
        projectionDim: 768)

    /// Reads `config.json`. Fields missing from `vision_config`/`text_config` take the defaults of
    /// transformers' CLIP configuration classes, as transformers does.
    public init(contentsOf url: URL) throws {
        let path = url.path
        guard let data = FileManager.default.contents(atPath: path) else { throw FileError(path, "cannot read the model configuration") }
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw FileError(path, "not a JSON object")
        }
        let visionJSON = root["vision_config"] as? [String: Any] ?? [:]
        let textJSON = root["text_config"] as? [String: Any] ?? [:]
        func int(_ json: [String: Any], _ key: String, _ fallback: Int, _ section: String) throws -> Int {
            guard let value = json[key] else { return fallback }
            guard let n = value as? Int, n > 0 else { throw FileError(path, "\(section).\(key) must be a positive integer") }
            return n
        }
        func activation(_ json: [String: Any], _ section: String) throws -> Activation {
            guard let name = json["hidden_act"] else { return .quickGELU }
            guard let s = name as? String, let a = Activation(huggingFaceName: s) else {
                throw FileError(path, "\(section).hidden_act '\(name)' is not supported (quick_gelu, gelu, gelu_new)")
            }
            return a
        }
        func eps(_ json: [String: Any]) -> Float { (json["layer_norm_eps"] as? Double).map(Float.init) ?? 1e-5 }

        let v = "vision_config", t = "text_config"
        vision = Vision(
            hiddenSize: try int(visionJSON, "hidden_size", 768, v),
            intermediateSize: try int(visionJSON, "intermediate_size", 3072, v),
            layers: try int(visionJSON, "num_hidden_layers", 12, v),
            heads: try int(visionJSON, "num_attention_heads", 12, v),
            imageSize: try int(visionJSON, "image_size", 224, v),
            patchSize: try int(visionJSON, "patch_size", 32, v),
            channels: try int(visionJSON, "num_channels", 3, v),
            activation: try activation(visionJSON, v),
            layerNormEps: eps(visionJSON))
        text = Text(
            hiddenSize: try int(textJSON, "hidden_size", 512, t),
            intermediateSize: try int(textJSON, "intermediate_size", 2048, t),
            layers: try int(textJSON, "num_hidden_layers", 12, t),
            heads: try int(textJSON, "num_attention_heads", 8, t),
            contextLength: try int(textJSON, "max_position_embeddings", 77, t),
            vocabularySize: try int(textJSON, "vocab_size", 49408, t),
            activation: try activation(textJSON, t),
            layerNormEps: eps(textJSON),
            startTokenID: Int32(try int(textJSON, "bos_token_id", 49406, t)),
            endTokenID: Int32(try int(textJSON, "eos_token_id", 49407, t)))
        projectionDim = try int(root, "projection_dim", 512, "config")
        try validate(path: path)
    }

    /// Checks that the sizes are consistent (heads divide the width, patches tile the image).
    public func validate(path: String) throws {
        guard vision.hiddenSize % vision.heads == 0 else {
            throw FileError(path, "vision hidden_size \(vision.hiddenSize) is not divisible by num_attention_heads \(vision.heads)")
        }
        guard text.hiddenSize % text.heads == 0 else {
            throw FileError(path, "text hidden_size \(text.hiddenSize) is not divisible by num_attention_heads \(text.heads)")
        }
        guard vision.imageSize % vision.patchSize == 0 else {
            throw FileError(path, "vision image_size \(vision.imageSize) is not a multiple of patch_size \(vision.patchSize)")
        }
        guard text.contextLength >= 2 else { throw FileError(path, "text max_position_embeddings must be at least 2") }
        // Layer norm divides by √(variance + eps): eps ≤ 0 or non-finite gives NaN on any constant row.
        for (section, eps) in [("vision_config", vision.layerNormEps), ("text_config", text.layerNormEps)] where !(eps > 0 && eps.isFinite) {
            throw FileError(path, "\(section).layer_norm_eps is \(eps); it must be a small positive number (CLIP uses 1e-5)")
        }
    }

    /// The JSON that `init(contentsOf:)` reads back (the Hugging Face layout), for writing
    /// random-weight models.
    public func huggingFaceJSON() throws -> Data {
        func act(_ a: Activation) -> String { a.rawValue }
        let json: [String: Any] = [
            "architectures": ["CLIPModel"], "model_type": "clip", "projection_dim": projectionDim,
            "vision_config": [
                "hidden_size": vision.hiddenSize, "intermediate_size": vision.intermediateSize,
                "num_hidden_layers": vision.layers, "num_attention_heads": vision.heads,
                "image_size": vision.imageSize, "patch_size": vision.patchSize, "num_channels": vision.channels,
                "hidden_act": act(vision.activation), "layer_norm_eps": Double(vision.layerNormEps),
                "projection_dim": projectionDim, "model_type": "clip_vision_model",
            ] as [String: Any],
            "text_config": [
                "hidden_size": text.hiddenSize, "intermediate_size": text.intermediateSize,
                "num_hidden_layers": text.layers, "num_attention_heads": text.heads,
                "max_position_embeddings": text.contextLength, "vocab_size": text.vocabularySize,
                "hidden_act": act(text.activation), "layer_norm_eps": Double(text.layerNormEps),
                "bos_token_id": Int(text.startTokenID), "eos_token_id": Int(text.endTokenID),
                "pad_token_id": Int(text.endTokenID), "projection_dim": projectionDim, "model_type": "clip_text_model",
            ] as [String: Any],
        ]
        return try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
    }
}
