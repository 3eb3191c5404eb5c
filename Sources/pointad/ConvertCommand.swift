import ArgumentParser
import CLIP
import Foundation

/// `pointad convert IN --out OUT`: a PyTorch checkpoint re-saved for the memory-mapped path.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Re-save a PyTorch checkpoint as safetensors: the authors' prompt .pth → a prompts file; an OpenAI CLIP .pt or a Hugging Face folder with pytorch_model.bin or shards → a model folder.")

    @Argument(help: "A .pt/.pth/.bin file, or a Hugging Face model folder.")
    var input: String

    @Option(help: "The prompts file or model folder to write (must not exist).")
    var out: String

    func run() throws {
        let kind = try CheckpointConversion.convert(URL(fileURLWithPath: input), to: URL(fileURLWithPath: out))
        print("\(kind == .prompts ? "prompts file" : "model folder"): \(out)")
    }
}
