import Foundation
import Imaging
import PointADSupport
import TensorCore

/// `pointad embed`: CLIP embeddings of images and texts, and the prompt path of the detector,
/// written to one safetensors file for inspection or comparison with another implementation.
///
/// Output tensors:
/// - `image_embeds` [images, P]: projected post-LN class token (not normalised);
/// - `vision.projected.i` [images, tokens, P] per requested layer: post-LN + projection of the
///   layer's tokens, class token first (from the value–value path for DPAM blocks);
/// - `image_features` [images, P] with `dpamLayer`: the original path's class token, projected;
/// - `text_embeds` [texts, P] and `text.input_ids` [texts, context] (int32, padded with the end token);
/// - `prompt_text_features` [2, P] with `prompts` (normal, abnormal; not normalised);
/// - `grad.<name>` with `gradientWeights`: ∂/∂(prompt tensor) of
///   sum(normalize(prompt_text_features) · weights), in the importer's names and shapes.
public struct EmbedJob {
    public var modelDirectory: URL
    public var images: [URL] = []
    public var texts: [String] = []
    public var layers: [Int] = []
    public var dpamLayer: Int?
    public var prompts: URL?
    /// A safetensors file holding `weights` [2, P].
    public var gradientWeights: URL?
    public var output: URL

    public init(modelDirectory: URL, output: URL) {
        self.modelDirectory = modelDirectory
        self.output = output
    }

    /// Computes the prompt gradients (the text backward pass lives in the Training module).
    public typealias PromptGradients = (_ text: TextTransformer, _ tokenizer: CLIPTokenizer, _ prompts: PromptSet, _ weights: Tensor) throws -> PromptSet

    /// Runs the job and writes `output` atomically; returns the names written.
    @discardableResult
    public func run(promptGradients: PromptGradients? = nil) throws -> [String] {
        guard !images.isEmpty || !texts.isEmpty || prompts != nil else {
            throw UsageError("nothing to embed: give at least one --image, --text or --prompts")
        }
        guard gradientWeights == nil || prompts != nil else { throw UsageError("--grad-weights needs --prompts") }
        guard layers.isEmpty && dpamLayer == nil || !images.isEmpty else { throw UsageError("--layers and --dpam-layer need at least one --image") }
        var parts: CLIPModel.Parts = []
        if !images.isEmpty { parts.insert(.vision) }
        if !texts.isEmpty || prompts != nil { parts.formUnion([.text, .tokenizer]) }
        let model = try CLIPModel(directory: modelDirectory, parts: parts)
        var writer = SafetensorsWriter(metadata: ["pointad_version": PointADVersion.string, "model": modelDirectory.path])

        if !images.isEmpty {
            let vision = try model.requireVision()
            let pixels = try ImagePreprocessing.pixels(pngs: images, size: vision.configuration.imageSize)
            let out = try vision.encode(pixels: pixels, layers: layers, dpamLayer: dpamLayer)
            try writer.add("image_embeds", out.imageEmbeds)
            if dpamLayer != nil { try writer.add("image_features", out.imageEmbeds) }
            for (layer, tokens) in out.projectedLayers { try writer.add("vision.projected.\(layer)", tokens) }
        }
        if !texts.isEmpty {
            let ids = try model.tokenize(texts)
            let out = try model.requireText().encode(ids: ids)
            try writer.add("text_embeds", out.textEmbeds)
            try writer.add("text.input_ids", int32: ids.flatMap { $0 }, shape: [ids.count, model.configuration.text.contextLength])
        }
        if let promptsURL = prompts {
            let text = try model.requireText(), tokenizer = try model.requireTokenizer()
            let set = try PromptsFile.read(promptsURL, width: text.width)
            try writer.add("prompt_text_features", try text.promptFeatures(set, tokenizer: tokenizer))
            if let weightsURL = gradientWeights {
                guard let promptGradients else { throw UsageError("--grad-weights is not available in this build (the text backward pass is missing)") }
                let weights = try SafetensorsFile(contentsOf: weightsURL).tensor("weights", shape: [2, text.projectionDim])
                let gradients = try promptGradients(text, tokenizer, set, weights)
                for (name, tensor) in gradients.named { try writer.add("grad.\(name)", tensor) }
            }
        }
        try writer.write(to: output)
        return writer.names
    }
}
