import CLIP
import Foundation
import PointADSupport

/// A random-weight CLIP written as OpenAI's checkpoint (`clip.load`'s `ViT-*.pt` as a plain
/// `torch.save` state dict: OpenAI's names, fused q/k/v `in_proj`, [width, P] projections), with
/// exactly the values `RandomCLIPWeights` writes to `model.safetensors` for the same
/// configuration and seed — so the two files are the same model, for parity tests and for
/// benchmarking the loaders against each other. float16 storage (as OpenAI ships its files)
/// holds those values rounded to nearest even.
public enum RandomOpenAICLIPWeights {
    /// How an OpenAI tensor is made from the Hugging Face tensors of the same model.
    enum Source {
        case same(String)
        /// Rows of the named tensors one after the other (q, k, v → `in_proj`).
        case stacked([String])
        /// The transpose of a 2-D tensor ([P, width] → [width, P]).
        case transposed(String)
    }

    struct Entry {
        let name: String
        let shape: [Int]
        let source: Source
    }

    /// Writes the checkpoint (one file, e.g. `ViT-L-14-336px.pt`) atomically.
    public static func write(configuration: CLIPConfiguration, seed: UInt64, dtype: TorchDType = .float32,
                             to url: URL, progress: ProgressReporter? = nil) throws {
        try checkRepresentable(configuration)
        let huggingFace = Dictionary(uniqueKeysWithValues: RandomCLIPWeights.entries(for: configuration).map { ($0.name, $0) })
        var writer = TorchCheckpointWriter()
        for entry in entries(for: configuration) {
            try writer.add(entry.name, shape: entry.shape, dtype: dtype) { buffer in
                fill(buffer, entry.source, huggingFace, seed: seed)
            }
        }
        try writer.write(to: url, progress: progress)
    }

    /// The number of tensors `write` stores (for progress reporting).
    public static func tensorCount(configuration: CLIPConfiguration) -> Int { entries(for: configuration).count }

    /// OpenAI's file has no config: its reader infers heads = width / 64, QuickGELU and ε 1e-5
    /// (as `build_model` does), so only configurations with those read back as themselves.
    static func checkRepresentable(_ c: CLIPConfiguration) throws {
        for (tower, width, heads, activation, eps) in [
            ("vision", c.vision.hiddenSize, c.vision.heads, c.vision.activation, c.vision.layerNormEps),
            ("text", c.text.hiddenSize, c.text.heads, c.text.activation, c.text.layerNormEps),
        ] where width % 64 != 0 || heads != width / 64 || activation != .quickGELU || eps != 1e-5 {
            throw UsageError("OpenAI's .pt layout cannot hold this model: its \(tower) tower (width \(width), \(heads) heads, \(activation.rawValue), ε \(eps)) "
                + "would read back as width / 64 heads, quick_gelu and ε 1e-5; write it as a Hugging Face folder instead")
        }
    }

    /// The state dict's names and shapes in the order OpenAI's `model.state_dict()` lists them.
    static func entries(for c: CLIPConfiguration) -> [Entry] {
        let v = c.vision, t = c.text
        var list: [Entry] = [
            Entry(name: "positional_embedding", shape: [t.contextLength, t.hiddenSize], source: .same("text_model.embeddings.position_embedding.weight")),
            Entry(name: "text_projection", shape: [t.hiddenSize, c.projectionDim], source: .transposed("text_projection.weight")),
            Entry(name: "logit_scale", shape: [], source: .same("logit_scale")),
            Entry(name: "visual.class_embedding", shape: [v.hiddenSize], source: .same("vision_model.embeddings.class_embedding")),
            Entry(name: "visual.positional_embedding", shape: [v.tokens, v.hiddenSize], source: .same("vision_model.embeddings.position_embedding.weight")),
            Entry(name: "visual.proj", shape: [v.hiddenSize, c.projectionDim], source: .transposed("visual_projection.weight")),
            Entry(name: "visual.conv1.weight", shape: [v.hiddenSize, v.channels, v.patchSize, v.patchSize], source: .same("vision_model.embeddings.patch_embedding.weight")),
            Entry(name: "visual.ln_pre.weight", shape: [v.hiddenSize], source: .same("vision_model.pre_layrnorm.weight")),
            Entry(name: "visual.ln_pre.bias", shape: [v.hiddenSize], source: .same("vision_model.pre_layrnorm.bias")),
        ]
        func blocks(_ openAI: String, _ hf: String, width: Int, intermediate: Int, layers: Int) {
            for i in 0..<layers {
                let o = "\(openAI).resblocks.\(i).", h = "\(hf).encoder.layers.\(i)."
                let qkv = ["q_proj", "k_proj", "v_proj"]
                list += [
                    Entry(name: o + "attn.in_proj_weight", shape: [3 * width, width], source: .stacked(qkv.map { h + "self_attn.\($0).weight" })),
                    Entry(name: o + "attn.in_proj_bias", shape: [3 * width], source: .stacked(qkv.map { h + "self_attn.\($0).bias" })),
                    Entry(name: o + "attn.out_proj.weight", shape: [width, width], source: .same(h + "self_attn.out_proj.weight")),
                    Entry(name: o + "attn.out_proj.bias", shape: [width], source: .same(h + "self_attn.out_proj.bias")),
                    Entry(name: o + "ln_1.weight", shape: [width], source: .same(h + "layer_norm1.weight")),
                    Entry(name: o + "ln_1.bias", shape: [width], source: .same(h + "layer_norm1.bias")),
                    Entry(name: o + "mlp.c_fc.weight", shape: [intermediate, width], source: .same(h + "mlp.fc1.weight")),
                    Entry(name: o + "mlp.c_fc.bias", shape: [intermediate], source: .same(h + "mlp.fc1.bias")),
                    Entry(name: o + "mlp.c_proj.weight", shape: [width, intermediate], source: .same(h + "mlp.fc2.weight")),
                    Entry(name: o + "mlp.c_proj.bias", shape: [width], source: .same(h + "mlp.fc2.bias")),
                    Entry(name: o + "ln_2.weight", shape: [width], source: .same(h + "layer_norm2.weight")),
                    Entry(name: o + "ln_2.bias", shape: [width], source: .same(h + "layer_norm2.bias")),
                ]
            }
        }
        blocks("visual.transformer", "vision_model", width: v.hiddenSize, intermediate: v.intermediateSize, layers: v.layers)
        list += [
            Entry(name: "visual.ln_post.weight", shape: [v.hiddenSize], source: .same("vision_model.post_layernorm.weight")),
            Entry(name: "visual.ln_post.bias", shape: [v.hiddenSize], source: .same("vision_model.post_layernorm.bias")),
        ]
        blocks("transformer", "text_model", width: t.hiddenSize, intermediate: t.intermediateSize, layers: t.layers)
        list += [
            Entry(name: "token_embedding.weight", shape: [t.vocabularySize, t.hiddenSize], source: .same("text_model.embeddings.token_embedding.weight")),
            Entry(name: "ln_final.weight", shape: [t.hiddenSize], source: .same("text_model.final_layer_norm.weight")),
            Entry(name: "ln_final.bias", shape: [t.hiddenSize], source: .same("text_model.final_layer_norm.bias")),
        ]
        return list
    }

    private static func fill(_ buffer: UnsafeMutableBufferPointer<Float>, _ source: Source,
                             _ huggingFace: [String: RandomCLIPWeights.Entry], seed: UInt64) {
        switch source {
        case .same(let name):
            RandomCLIPWeights.generate(huggingFace[name]!, modelSeed: seed, into: buffer)
        case .stacked(let names):
            var start = 0
            for name in names {
                let entry = huggingFace[name]!
                let count = entry.shape.reduce(1, *)
                RandomCLIPWeights.generate(entry, modelSeed: seed, into: UnsafeMutableBufferPointer(rebasing: buffer[start..<(start + count)]))
                start += count
            }
        case .transposed(let name):
            let entry = huggingFace[name]!
            let rows = entry.shape[0], columns = entry.shape[1]
            var original = [Float](repeating: 0, count: rows * columns)
            original.withUnsafeMutableBufferPointer { RandomCLIPWeights.generate(entry, modelSeed: seed, into: $0) }
            for r in 0..<rows { for c in 0..<columns { buffer[c * rows + r] = original[r * columns + c] } }
        }
    }
}
