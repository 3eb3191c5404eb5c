import CLIP
import Foundation
import TensorCore

/// The tensors of a Hugging Face `CLIPModel` checkpoint for a configuration, filled the way
/// transformers initialises an untrained CLIP (`CLIPPreTrainedModel._init_weights`, factor 1):
/// normal embeddings and projections with width-scaled deviations, unit layer norms, zero biases,
/// and `logit_scale` = ln 100 as in OpenAI's trained models.
///
/// Every tensor is drawn from its own seed (the model seed and the tensor's name), in fixed chunks,
/// so the file is the same for a seed whatever the thread count, and tensors are generated while
/// streaming: a ViT-L/14 file (1.7 GB) needs one tensor's worth of memory.
public enum RandomCLIPWeights {
    enum Fill {
        case normal(std: Float)
        case constant(Float)
    }

    struct Entry {
        let name: String
        let shape: [Int]
        let fill: Fill
    }

    /// Elements drawn from one derived seed; fixed so results do not depend on threads.
    static let chunk = 1 << 16

    /// Writes `model.safetensors` for `configuration` with weights drawn from `seed`.
    public static func write(configuration: CLIPConfiguration, seed: UInt64, to url: URL) throws {
        var writer = SafetensorsWriter(metadata: ["format": "pt"])
        for entry in entries(for: configuration) {
            try writer.add(entry.name, shape: entry.shape) { buffer in generate(entry, modelSeed: seed, into: buffer) }
        }
        try writer.write(to: url)
    }

    /// The values of one tensor of the model drawn from `modelSeed` (each tensor has its own seed,
    /// derived from its name, so other layouts of the same model can draw the same values).
    static func generate(_ entry: Entry, modelSeed: UInt64, into buffer: UnsafeMutableBufferPointer<Float>) {
        generate(into: buffer, fill: entry.fill, seed: SeedDerivation.derive(modelSeed, stableHash(entry.name)))
    }

    /// Names (Hugging Face's, including its `pre_layrnorm` spelling), shapes and initialisers.
    static func entries(for c: CLIPConfiguration) -> [Entry] {
        var list: [Entry] = [Entry(name: "logit_scale", shape: [], fill: .constant(Float(log(100.0))))]
        func tower(_ prefix: String, width: Int, intermediate: Int, layers: Int) {
            let attentionStd = 1 / Float(width).squareRoot() / Float(2 * layers).squareRoot()
            let outputStd = 1 / Float(width).squareRoot()
            let fcStd = 1 / Float(2 * width).squareRoot()
            for i in 0..<layers {
                let layer = "\(prefix).encoder.layers.\(i)"
                for norm in ["layer_norm1", "layer_norm2"] {
                    list.append(Entry(name: "\(layer).\(norm).weight", shape: [width], fill: .constant(1)))
                    list.append(Entry(name: "\(layer).\(norm).bias", shape: [width], fill: .constant(0)))
                }
                for projection in ["q_proj", "k_proj", "v_proj", "out_proj"] {
                    let std = projection == "out_proj" ? outputStd : attentionStd
                    list.append(Entry(name: "\(layer).self_attn.\(projection).weight", shape: [width, width], fill: .normal(std: std)))
                    list.append(Entry(name: "\(layer).self_attn.\(projection).bias", shape: [width], fill: .constant(0)))
                }
                list.append(Entry(name: "\(layer).mlp.fc1.weight", shape: [intermediate, width], fill: .normal(std: fcStd)))
                list.append(Entry(name: "\(layer).mlp.fc1.bias", shape: [intermediate], fill: .constant(0)))
                list.append(Entry(name: "\(layer).mlp.fc2.weight", shape: [width, intermediate], fill: .normal(std: attentionStd)))
                list.append(Entry(name: "\(layer).mlp.fc2.bias", shape: [width], fill: .constant(0)))
            }
        }
        let t = c.text, v = c.vision
        list.append(Entry(name: "text_model.embeddings.token_embedding.weight", shape: [t.vocabularySize, t.hiddenSize], fill: .normal(std: 0.02)))
        list.append(Entry(name: "text_model.embeddings.position_embedding.weight", shape: [t.contextLength, t.hiddenSize], fill: .normal(std: 0.02)))
        tower("text_model", width: t.hiddenSize, intermediate: t.intermediateSize, layers: t.layers)
        list.append(Entry(name: "text_model.final_layer_norm.weight", shape: [t.hiddenSize], fill: .constant(1)))
        list.append(Entry(name: "text_model.final_layer_norm.bias", shape: [t.hiddenSize], fill: .constant(0)))
        list.append(Entry(name: "text_projection.weight", shape: [c.projectionDim, t.hiddenSize], fill: .normal(std: 1 / Float(t.hiddenSize).squareRoot())))

        list.append(Entry(name: "vision_model.embeddings.class_embedding", shape: [v.hiddenSize], fill: .normal(std: 1 / Float(v.hiddenSize).squareRoot())))
        list.append(Entry(name: "vision_model.embeddings.patch_embedding.weight", shape: [v.hiddenSize, v.channels, v.patchSize, v.patchSize], fill: .normal(std: 0.02)))
        list.append(Entry(name: "vision_model.embeddings.position_embedding.weight", shape: [v.tokens, v.hiddenSize], fill: .normal(std: 0.02)))
        list.append(Entry(name: "vision_model.pre_layrnorm.weight", shape: [v.hiddenSize], fill: .constant(1)))
        list.append(Entry(name: "vision_model.pre_layrnorm.bias", shape: [v.hiddenSize], fill: .constant(0)))
        tower("vision_model", width: v.hiddenSize, intermediate: v.intermediateSize, layers: v.layers)
        list.append(Entry(name: "vision_model.post_layernorm.weight", shape: [v.hiddenSize], fill: .constant(1)))
        list.append(Entry(name: "vision_model.post_layernorm.bias", shape: [v.hiddenSize], fill: .constant(0)))
        list.append(Entry(name: "visual_projection.weight", shape: [c.projectionDim, v.hiddenSize], fill: .normal(std: 1 / Float(v.hiddenSize).squareRoot())))
        return list
    }

    static func generate(into buffer: UnsafeMutableBufferPointer<Float>, fill: Fill, seed: UInt64) {
        switch fill {
        case let .constant(value):
            buffer.initialize(repeating: value)
        case let .normal(std):
            nonisolated(unsafe) let base = buffer.baseAddress!
            let count = buffer.count
            let chunks = (count + chunk - 1) / chunk
            Parallel.forEach(chunks) { c in
                var rng = SeededRandom(seed: SeedDerivation.derive(seed, UInt64(c)))
                for i in (c * chunk)..<min(count, (c + 1) * chunk) { base[i] = rng.normal() * std }
            }
        }
    }

    /// FNV-1a of the UTF-8 bytes: a hash that is the same in every process (Swift's `Hasher` is
    /// randomly seeded per run).
    static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return hash
    }
}
