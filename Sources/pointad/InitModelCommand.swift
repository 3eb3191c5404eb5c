import ArgumentParser
import CLIP
import Foundation
import PointADSupport
import Synthesis

/// `pointad init-model`: a CLIP folder with random weights in the Hugging Face layout.
struct InitModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init-model",
        abstract: "Write a CLIP with RANDOM weights as a Hugging Face model folder (for tests, benchmarks and the demo).",
        discussion: """
            The folder (config.json, model.safetensors, vocab.json, merges.txt) loads like a downloaded \
            openai/clip-vit-* model. Its config.json says "pointad_random_weights": true, and every command \
            that uses it labels its outputs as such. Presets: tiny (vision width 64, 4 layers, 224 px, \
            patch 14; text width 64, 12 layers; about 16 MB), vit-b-16 (about 600 MB), vit-l-14-336 (the shapes PointAD uses; about 1.7 GB). \
            --format openai-pt writes instead one OpenAI-layout checkpoint file (as clip.load caches \
            ViT-L-14-336px.pt; a plain torch.save state dict, float32 or --dtype float16 as OpenAI ships it) \
            holding the same values as the folder for the same preset and seed; it carries no random-weights marker.
            """)

    @Option(name: .long, help: "Model size: \(CLIPPreset.allCases.map(\.rawValue).joined(separator: ", ")).")
    var preset: String = CLIPPreset.tiny.rawValue

    @Flag(name: .long, help: "Acknowledge that the weights are random (required: no trained weights can be made here).")
    var random = false

    @Option(name: .long, help: "Seed for the weights; the same seed gives byte-identical files.")
    var seed: UInt64 = 0

    @Option(name: .long, help: "hf (a Hugging Face folder) or openai-pt (one OpenAI-layout .pt file).")
    var format: String = "hf"

    @Option(name: .long, help: "Storage type of --format openai-pt: float32 or float16.")
    var dtype: String = "float32"

    @Option(name: .long, help: "Output folder (--format hf, created if needed) or file (--format openai-pt).")
    var out: String

    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        guard CLIPPreset(rawValue: preset) != nil else {
            throw ValidationError("unknown --preset '\(preset)'; choose one of \(CLIPPreset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard random else {
            throw ValidationError("pass --random: init-model only makes random-weight models (download real ones from Hugging Face)")
        }
        guard ["hf", "openai-pt"].contains(format) else { throw ValidationError("unknown --format '\(format)'; choose hf or openai-pt") }
        guard storageType != nil else { throw ValidationError("unknown --dtype '\(dtype)'; choose float32 or float16") }
        guard format == "openai-pt" || dtype == "float32" else { throw ValidationError("--dtype float16 applies to --format openai-pt only") }
    }

    private var storageType: TorchDType? { ["float32": TorchDType.float32, "float16": .float16][dtype] }

    func run() throws {
        compute.apply()
        let destination = URL(fileURLWithPath: out)
        let preset = CLIPPreset(rawValue: preset)!
        if format == "openai-pt" {
            let configuration = preset.configuration
            let progress = ProgressReporter("writing \(destination.lastPathComponent)", total: RandomOpenAICLIPWeights.tensorCount(configuration: configuration))
            try RandomOpenAICLIPWeights.write(configuration: configuration, seed: seed, dtype: storageType!, to: destination, progress: progress)
            print("wrote \(destination.path) (preset \(preset.rawValue), seed \(seed), OpenAI layout, \(dtype))")
        } else {
            try RandomCLIPFolder.write(preset: preset, seed: seed, to: destination)
            print("wrote \(destination.path) (preset \(preset.rawValue), seed \(seed))")
        }
        print(ModelFolder.randomWeightsWarning)
    }
}
