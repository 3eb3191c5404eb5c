import ArgumentParser
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
            patch 14; text width 64, 12 layers; about 16 MB), vit-b-16 (about 600 MB), vit-l-14-336 (the shapes PointAD uses; about 1.7 GB).
            """)

    @Option(name: .long, help: "Model size: \(CLIPPreset.allCases.map(\.rawValue).joined(separator: ", ")).")
    var preset: String = CLIPPreset.tiny.rawValue

    @Flag(name: .long, help: "Acknowledge that the weights are random (required: no trained weights can be made here).")
    var random = false

    @Option(name: .long, help: "Seed for the weights; the same seed gives byte-identical files.")
    var seed: UInt64 = 0

    @Option(name: .long, help: "Output folder (created if needed).")
    var out: String

    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        guard CLIPPreset(rawValue: preset) != nil else {
            throw ValidationError("unknown --preset '\(preset)'; choose one of \(CLIPPreset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard random else {
            throw ValidationError("pass --random: init-model only makes random-weight models (download real ones from Hugging Face)")
        }
    }

    func run() throws {
        compute.apply()
        let directory = URL(fileURLWithPath: out)
        try RandomCLIPFolder.write(preset: CLIPPreset(rawValue: preset)!, seed: seed, to: directory)
        print("wrote \(directory.path) (preset \(preset), seed \(seed))")
        print(ModelFolder.randomWeightsWarning)
    }
}
