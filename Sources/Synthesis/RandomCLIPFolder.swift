import CLIP
import Foundation
import PointADSupport
import TensorCore

/// Writes a CLIP with random weights as a Hugging Face model folder — `config.json`,
/// `model.safetensors`, `vocab.json`, `merges.txt`, `tokenizer_config.json`, `README.md` — that
/// loads exactly like `openai/clip-vit-*` downloads. The config carries
/// `"pointad_random_weights": true` and a `_comment` so nobody mistakes it for a trained model;
/// `ModelFolder.isRandomWeights` detects it.
public enum RandomCLIPFolder {
    /// Creates (or replaces the files of) `directory`. Same preset and seed → byte-identical files.
    public static func write(preset: CLIPPreset, seed: UInt64, to directory: URL) throws {
        let configuration = preset.configuration
        try AtomicFile.write(configJSON(configuration, preset: preset, seed: seed), to: directory.appendingPathComponent("config.json"))
        try RandomCLIPWeights.write(configuration: configuration, seed: seed, to: directory.appendingPathComponent("model.safetensors"))
        try CLIPVocabulary.write(to: directory)
        try AtomicFile.write(tokenizerConfig, to: directory.appendingPathComponent("tokenizer_config.json"))
        try AtomicFile.write(readme(preset: preset, seed: seed), to: directory.appendingPathComponent("README.md"))
    }

    /// `config.json` with the keys and layout transformers writes for a `CLIPModel`, plus the
    /// random-weights marker.
    static func configJSON(_ c: CLIPConfiguration, preset: CLIPPreset, seed: UInt64) -> String {
        func activation(_ a: Activation) -> PythonStyleJSON { .string(a.rawValue) }
        let common: [String: PythonStyleJSON] = [
            "attention_dropout": .number("0.0"), "initializer_factor": .number("1.0"),
            "initializer_range": .number("0.02"), "layer_norm_eps": .number("1e-05"),
            "projection_dim": .int(c.projectionDim),
        ]
        var text = common
        text["bos_token_id"] = .int(Int(c.text.startTokenID))
        text["eos_token_id"] = .int(Int(c.text.endTokenID))
        text["pad_token_id"] = .int(Int(c.text.endTokenID))
        text["hidden_act"] = activation(c.text.activation)
        text["hidden_size"] = .int(c.text.hiddenSize)
        text["intermediate_size"] = .int(c.text.intermediateSize)
        text["max_position_embeddings"] = .int(c.text.contextLength)
        text["model_type"] = .string("clip_text_model")
        text["num_attention_heads"] = .int(c.text.heads)
        text["num_hidden_layers"] = .int(c.text.layers)
        text["vocab_size"] = .int(c.text.vocabularySize)
        var vision = common
        vision["hidden_act"] = activation(c.vision.activation)
        vision["hidden_size"] = .int(c.vision.hiddenSize)
        vision["image_size"] = .int(c.vision.imageSize)
        vision["intermediate_size"] = .int(c.vision.intermediateSize)
        vision["model_type"] = .string("clip_vision_model")
        vision["num_attention_heads"] = .int(c.vision.heads)
        vision["num_channels"] = .int(c.vision.channels)
        vision["num_hidden_layers"] = .int(c.vision.layers)
        vision["patch_size"] = .int(c.vision.patchSize)
        let root: [String: PythonStyleJSON] = [
            "_comment": .string("RANDOM WEIGHTS: made by `pointad init-model --preset \(preset.rawValue) --random --seed \(seed)`. "
                + "Not a trained CLIP: anything computed with it only tests the pipeline."),
            ModelFolder.randomWeightsKey: .bool(true),
            "pointad_preset": .string(preset.rawValue),
            "pointad_seed": .number(String(seed)),
            "architectures": .array([.string("CLIPModel")]),
            "dtype": .string("float32"),
            "initializer_factor": .number("1.0"),
            "logit_scale_init_value": .number("4.6052"),
            "model_type": .string("clip"),
            "projection_dim": .int(c.projectionDim),
            "text_config": .object(text),
            "transformers_version": .string("5.24.0"),
            "vision_config": .object(vision),
        ]
        return PythonStyleJSON.object(root).document
    }

    /// transformers' tokenizer settings for CLIP (the end token doubles as padding and unknown).
    static let tokenizerConfig = """
        {
          "backend": "tokenizers",
          "bos_token": "<|startoftext|>",
          "eos_token": "<|endoftext|>",
          "model_max_length": 77,
          "pad_token": "<|endoftext|>",
          "tokenizer_class": "CLIPTokenizer",
          "unk_token": "<|endoftext|>"
        }

        """

    static func readme(preset: CLIPPreset, seed: UInt64) -> String {
        """
        # Random-weight CLIP (\(preset.rawValue), seed \(seed))

        Made by `pointad init-model --preset \(preset.rawValue) --random --seed \(seed)`. The weights are
        random (transformers' initialisation), not trained: scores and metrics computed with this
        model test the pipeline and say nothing about real performance. `pointad` labels every
        output that uses it. The tokenizer files are the real CLIP BPE vocabulary.

        """
    }
}
