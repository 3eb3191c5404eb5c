/// Every tensor of a Hugging Face CLIP checkpoint with its shape, for a configuration: what the
/// loaders read, listed once for writers of random-weight models (benchmarks, `init-model`).
extension CLIPConfiguration {
    public enum TensorRole: Sendable { case weight, layerNormScale, layerNormShift, bias, embedding, logitScale }

    public struct TensorSpec: Sendable, Equatable {
        public let name: String
        public let shape: [Int]
        public let role: TensorRole
    }

    /// The tensors of the requested towers (`.vision`, `.text`; the tokenizer has none).
    public func tensorLayout(_ parts: CLIPModel.Parts = .all) -> [TensorSpec] {
        var specs: [TensorSpec] = []
        func add(_ name: String, _ shape: [Int], _ role: TensorRole) { specs.append(TensorSpec(name: name, shape: shape, role: role)) }
        func layerNorm(_ prefix: String, _ width: Int) {
            add(prefix + ".weight", [width], .layerNormScale)
            add(prefix + ".bias", [width], .layerNormShift)
        }
        func blocks(_ prefix: String, count: Int, width d: Int, intermediate: Int) {
            for i in 0..<count {
                let p = "\(prefix).layers.\(i)."
                layerNorm(p + "layer_norm1", d)
                layerNorm(p + "layer_norm2", d)
                for proj in ["q_proj", "k_proj", "v_proj", "out_proj"] {
                    add(p + "self_attn.\(proj).weight", [d, d], .weight)
                    add(p + "self_attn.\(proj).bias", [d], .bias)
                }
                add(p + "mlp.fc1.weight", [intermediate, d], .weight)
                add(p + "mlp.fc1.bias", [intermediate], .bias)
                add(p + "mlp.fc2.weight", [d, intermediate], .weight)
                add(p + "mlp.fc2.bias", [d], .bias)
            }
        }
        add("logit_scale", [], .logitScale)
        if parts.contains(.vision) {
            let v = vision, d = v.hiddenSize
            add("vision_model.embeddings.class_embedding", [d], .embedding)
            add("vision_model.embeddings.patch_embedding.weight", [d, v.channels, v.patchSize, v.patchSize], .weight)
            add("vision_model.embeddings.position_embedding.weight", [v.tokens, d], .embedding)
            layerNorm("vision_model.pre_layrnorm", d)
            blocks("vision_model.encoder", count: v.layers, width: d, intermediate: v.intermediateSize)
            layerNorm("vision_model.post_layernorm", d)
            add("visual_projection.weight", [projectionDim, d], .weight)
        }
        if parts.contains(.text) {
            let t = text, w = t.hiddenSize
            add("text_model.embeddings.token_embedding.weight", [t.vocabularySize, w], .embedding)
            add("text_model.embeddings.position_embedding.weight", [t.contextLength, w], .embedding)
            blocks("text_model.encoder", count: t.layers, width: w, intermediate: t.intermediateSize)
            layerNorm("text_model.final_layer_norm", w)
            add("text_projection.weight", [projectionDim, w], .weight)
        }
        return specs
    }
}
