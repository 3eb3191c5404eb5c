import Foundation
import PointADSupport

/// What `--model` names, resolved to sizes, weights and a vocabulary:
/// - a Hugging Face folder: `config.json` with `model.safetensors`, `model.safetensors.index.json`
///   (sharded), `pytorch_model.bin` or `pytorch_model.bin.index.json` (first found, in that order);
/// - an OpenAI CLIP file (`ViT-L-14-336px.pt` from `clip.load`'s cache, TorchScript or a plain
///   state dict): sizes from the tensor shapes, Hugging Face names mapped from OpenAI's.
/// The tokenizer reads the folder's `vocab.json` and `merges.txt` when present, and otherwise
/// uses OpenAI's BPE vocabulary compiled into pointad (the one every CLIP checkpoint uses).
public struct CLIPCheckpoint {
    public static let weightFiles = ["model.safetensors", "model.safetensors.index.json", "pytorch_model.bin", "pytorch_model.bin.index.json"]

    public let configuration: CLIPConfiguration
    public let weights: any TensorSource
    /// The folder with `vocab.json` and `merges.txt`, or nil for the built-in vocabulary.
    public let tokenizerDirectory: URL?

    public static func open(_ url: URL) throws -> CLIPCheckpoint {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw FileError(url.path, "no such model folder or file")
        }
        if !isDirectory.boolValue {
            let source = try TensorFiles.open(url)
            guard OpenAICLIPWeights.isOpenAILayout(source) else {
                throw FileError(url.path, "not an OpenAI CLIP checkpoint (no visual.conv1.weight); a Hugging Face checkpoint is given as its folder, with config.json")
            }
            let openAI = try OpenAICLIPWeights(source)
            return CLIPCheckpoint(configuration: openAI.configuration, weights: openAI, tokenizerDirectory: nil)
        }
        let fm = FileManager.default
        guard let weightsName = weightFiles.first(where: { fm.fileExists(atPath: url.appendingPathComponent($0).path) }) else {
            throw FileError(url.path, "not a model folder: none of \(weightFiles.joined(separator: ", ")) (expected beside config.json, vocab.json, merges.txt)")
        }
        let configuration = try CLIPConfiguration(contentsOf: url.appendingPathComponent("config.json"))
        let weightsURL = url.appendingPathComponent(weightsName)
        let weights: any TensorSource = weightsName.hasSuffix(".index.json") ? try ShardedTensors(index: weightsURL) : try TensorFiles.open(weightsURL)
        let hasVocabulary = fm.fileExists(atPath: url.appendingPathComponent("vocab.json").path)
            || fm.fileExists(atPath: url.appendingPathComponent("merges.txt").path)
        return CLIPCheckpoint(configuration: configuration, weights: weights, tokenizerDirectory: hasVocabulary ? url : nil)
    }
}
