import ArgumentParser
import CLIP
import Foundation
import Training

/// `pointad embed`: CLIP embeddings of images, texts and learnable prompts to a safetensors file.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Write CLIP image/text embeddings, projected patch tokens and prompt features to a safetensors file.",
        discussion: """
            Outputs: image_embeds, vision.projected.<layer> (class token first), text_embeds, text.input_ids; \
            with --dpam-layer also image_features; with --prompts also prompt_text_features; with --grad-weights also \
            grad.<name> for every learnable prompt tensor.
            """)

    @Option(help: "Hugging Face CLIP folder (config.json, model.safetensors, vocab.json, merges.txt).")
    var model: String
    @Option(name: .customLong("image"), help: "PNG image (repeatable); resized bicubic to the model's input size.")
    var images: [String] = []
    @Option(name: .customLong("text"), help: "Text to embed (repeatable).")
    var texts: [String] = []
    @Option(help: "Comma-separated vision layers whose projected tokens to write (1-based; 0 = embeddings).")
    var layers: String?
    @Option(name: .customLong("dpam-layer"), help: "DPAM as the authors count it: the last D−1 blocks use value–value attention.")
    var dpamLayer: Int?
    @Option(help: "Prompts file (pointad's or the authors' tensors) whose text features to write.")
    var prompts: String?
    @Option(name: .customLong("grad-weights"), help: "Safetensors with `weights` [2, P]: also write grad.<name> of sum(normalize(prompt features)·weights).")
    var gradWeights: String?
    @Option(help: "Output .safetensors file.")
    var output: String
    @OptionGroup var compute: ComputeOptions

    func parsedLayers() throws -> [Int] {
        guard let layers else { return [] }
        return try layers.split(separator: ",").map {
            guard let n = Int($0.trimmingCharacters(in: .whitespaces)), n >= 0 else {
                throw ValidationError("--layers expects comma-separated non-negative integers, got '\(layers)'")
            }
            return n
        }
    }

    func validate() throws { _ = try parsedLayers() }

    func run() throws {
        compute.apply()
        var job = EmbedJob(modelDirectory: URL(fileURLWithPath: model), output: URL(fileURLWithPath: output))
        job.images = images.map { URL(fileURLWithPath: $0) }
        job.texts = texts
        job.layers = try parsedLayers()
        job.dpamLayer = dpamLayer
        job.prompts = prompts.map { URL(fileURLWithPath: $0) }
        job.gradientWeights = gradWeights.map { URL(fileURLWithPath: $0) }
        let names = try job.run { text, tokenizer, prompts, weights in
            try PromptGradients.ofWeightedFeatures(text: text, tokenizer: tokenizer, prompts: prompts, weights: weights).gradients
        }
        print("wrote \(output): \(names.joined(separator: ", "))")
    }
}
