import Foundation
import PointADSupport
import TensorCore

/// OpenAI's CLIP checkpoint (`clip.load`'s `ViT-*.pt`, TorchScript or a plain state dict) read
/// under the Hugging Face names the loaders use, with its sizes inferred from the tensor shapes
/// as OpenAI's `build_model` does (heads = width / 64, QuickGELU, MLP 4 × width, layer-norm ε 1e-5).
///
/// The mapping: `visual.conv1` → patch embedding, `visual.ln_pre`/`ln_post` → pre/post layer norm,
/// `*.resblocks.i.ln_1`/`ln_2` → layer_norm1/2, `attn.in_proj_weight`/`in_proj_bias` split in
/// three row blocks → q/k/v projections (row slices, used in place), `attn.out_proj` → out_proj,
/// `mlp.c_fc`/`c_proj` → fc1/fc2, `ln_final` → final layer norm, and the projections `visual.proj`
/// [width, P] and `text_projection` [width, P] transposed to Hugging Face's [P, width].
public final class OpenAICLIPWeights: TensorSource, @unchecked Sendable {
    public let source: any TensorSource
    public let configuration: CLIPConfiguration
    public var path: String { source.path }
    /// Hugging Face name → how to read it from the OpenAI names.
    private let mapping: [String: Mapped]
    /// Converted `in_proj` tensors, kept so the q/k/v slices of a converted (e.g. float16) tensor
    /// share one copy.
    private var converted: [String: Tensor] = [:]
    private let lock = NSLock()

    private enum Mapped {
        case same(String)
        case transposed(String)
        /// Rows [part·n, (part+1)·n) of a [3n, …] tensor.
        case third(String, part: Int)
    }

    /// Whether `source` holds OpenAI's key names (rather than Hugging Face's).
    public static func isOpenAILayout(_ source: any TensorSource) -> Bool {
        source.contains("visual.conv1.weight") || source.contains("visual.class_embedding")
    }

    public init(_ source: any TensorSource) throws {
        self.source = source
        let path = source.path
        if source.contains("visual.layer1.0.conv1.weight") {
            throw FileError(path, "a ResNet CLIP (RN50 …); only the ViT models are supported")
        }
        func shape(_ name: String) throws -> [Int] {
            guard source.contains(name) else { throw FileError(path, "tensor '\(name)' is missing (not an OpenAI CLIP checkpoint?)") }
            return try source.shape(of: name)
        }
        func blockCount(_ prefix: String) -> Int {
            var n = 0
            while source.contains("\(prefix).resblocks.\(n).attn.in_proj_weight") { n += 1 }
            return n
        }
        let conv = try shape("visual.conv1.weight"), positions = try shape("visual.positional_embedding")
        let textProjection = try shape("text_projection"), tokens = try shape("token_embedding.weight")
        let textPositions = try shape("positional_embedding"), final = try shape("ln_final.weight")
        guard conv.count == 4, conv[2] == conv[3], positions.count == 2, textProjection.count == 2, tokens.count == 2,
              textPositions.count == 2, final.count == 1 else {
            throw FileError(path, "OpenAI CLIP tensors have unexpected ranks (visual.conv1.weight \(conv), text_projection \(textProjection))")
        }
        let visionWidth = conv[0], patch = conv[3], textWidth = final[0]
        let grid = Int(Double(positions[0] - 1).squareRoot().rounded())
        guard grid * grid + 1 == positions[0] else {
            throw FileError(path, "visual.positional_embedding has \(positions[0]) rows, not 1 + a square number of patches")
        }
        for (what, width) in [("vision", visionWidth), ("text", textWidth)] where width % 64 != 0 || width == 0 {
            throw FileError(path, "\(what) width \(width) is not a multiple of 64, so OpenAI's heads = width / 64 does not apply")
        }
        let visionLayers = blockCount("visual.transformer"), textLayers = blockCount("transformer")
        guard visionLayers > 0, textLayers > 0 else { throw FileError(path, "no transformer blocks found (visual.transformer.resblocks.0…)") }
        let visionMLP = try shape("visual.transformer.resblocks.0.mlp.c_fc.weight")[0]
        let textMLP = try shape("transformer.resblocks.0.mlp.c_fc.weight")[0]
        configuration = CLIPConfiguration(
            vision: .init(hiddenSize: visionWidth, intermediateSize: visionMLP, layers: visionLayers, heads: visionWidth / 64,
                          imageSize: grid * patch, patchSize: patch, channels: conv[1]),
            text: .init(hiddenSize: textWidth, intermediateSize: textMLP, layers: textLayers, heads: textWidth / 64,
                        contextLength: textPositions[0], vocabularySize: tokens[0]),
            projectionDim: textProjection[1])
        try configuration.validate(path: path)

        var m: [String: Mapped] = ["logit_scale": .same("logit_scale")]
        func weightAndBias(_ hf: String, _ openAI: String) {
            m[hf + ".weight"] = .same(openAI + ".weight")
            m[hf + ".bias"] = .same(openAI + ".bias")
        }
        func blocks(_ hf: String, _ openAI: String, _ count: Int) {
            for i in 0..<count {
                let h = "\(hf).layers.\(i).", o = "\(openAI).resblocks.\(i)."
                weightAndBias(h + "layer_norm1", o + "ln_1")
                weightAndBias(h + "layer_norm2", o + "ln_2")
                for (part, proj) in ["q_proj", "k_proj", "v_proj"].enumerated() {
                    m[h + "self_attn.\(proj).weight"] = .third(o + "attn.in_proj_weight", part: part)
                    m[h + "self_attn.\(proj).bias"] = .third(o + "attn.in_proj_bias", part: part)
                }
                weightAndBias(h + "self_attn.out_proj", o + "attn.out_proj")
                weightAndBias(h + "mlp.fc1", o + "mlp.c_fc")
                weightAndBias(h + "mlp.fc2", o + "mlp.c_proj")
            }
        }
        m["vision_model.embeddings.class_embedding"] = .same("visual.class_embedding")
        m["vision_model.embeddings.patch_embedding.weight"] = .same("visual.conv1.weight")
        m["vision_model.embeddings.position_embedding.weight"] = .same("visual.positional_embedding")
        weightAndBias("vision_model.pre_layrnorm", "visual.ln_pre")
        blocks("vision_model.encoder", "visual.transformer", visionLayers)
        weightAndBias("vision_model.post_layernorm", "visual.ln_post")
        m["visual_projection.weight"] = .transposed("visual.proj")
        m["text_model.embeddings.token_embedding.weight"] = .same("token_embedding.weight")
        m["text_model.embeddings.position_embedding.weight"] = .same("positional_embedding")
        blocks("text_model.encoder", "transformer", textLayers)
        weightAndBias("text_model.final_layer_norm", "ln_final")
        m["text_projection.weight"] = .transposed("text_projection")
        mapping = m.filter { source.contains(Self.sourceName($0.value)) }
    }

    private static func sourceName(_ m: Mapped) -> String {
        switch m {
        case .same(let n), .transposed(let n), .third(let n, _): n
        }
    }

    public var names: [String] { mapping.keys.sorted() }
    public func contains(_ name: String) -> Bool { mapping[name] != nil }

    private func mapped(_ name: String) throws -> Mapped {
        guard let m = mapping[name] else { throw FileError(path, "tensor '\(name)' (Hugging Face name) has no OpenAI counterpart in this file") }
        return m
    }

    public func shape(of name: String) throws -> [Int] {
        switch try mapped(name) {
        case .same(let n): return try source.shape(of: n)
        case .transposed(let n): return try source.shape(of: n).reversed()
        case .third(let n, _):
            var s = try source.shape(of: n)
            guard let first = s.first, first % 3 == 0 else { throw FileError(path, "tensor '\(n)' has shape \(s), whose first size is not a multiple of 3") }
            s[0] = first / 3
            return s
        }
    }

    public func tensor(_ name: String, shape expected: [Int]?) throws -> Tensor {
        let actual = try shape(of: name)
        if let expected, expected != actual {
            throw FileError(path, "tensor '\(name)' (from \(Self.sourceName(try mapped(name)))) has shape \(actual), expected \(expected)")
        }
        switch try mapped(name) {
        case .same(let n):
            return try source.tensor(n, shape: actual)
        case .transposed(let n):
            let t = try source.tensor(n)
            let rows = t.shape[0], cols = t.shape[1], out = Tensor(zeros: [cols, rows])
            for r in 0..<rows { for c in 0..<cols { out.pointer[c * rows + r] = t.pointer[r * cols + c] } }
            return out
        case .third(let n, let part):
            let whole = try inProjection(n)
            let rows = actual[0]
            return try whole.rows((part * rows)..<((part + 1) * rows)).reshaped(actual)
        }
    }

    /// The whole `in_proj` tensor as [3n, rest], converted once when it is not float32 in place.
    private func inProjection(_ name: String) throws -> Tensor {
        lock.lock()
        defer { lock.unlock() }
        if let t = converted[name] { return t }
        let t = try source.tensor(name)
        let rows = t.shape[0], flat = try t.reshaped([rows, t.count / max(rows, 1)])
        converted[name] = flat
        return flat
    }
}
