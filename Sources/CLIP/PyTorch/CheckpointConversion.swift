import Foundation
import PointADSupport
import TensorCore

/// `pointad convert`: a PyTorch (or sharded) checkpoint re-written as what pointad memory-maps
/// fastest — a prompts file for a prompt checkpoint (the authors' `.pth`), otherwise a Hugging
/// Face model folder (`config.json`, `model.safetensors` in float32, `vocab.json`, `merges.txt`).
public enum CheckpointConversion {
    public enum Kind: String, Sendable { case prompts, model }

    /// Converts `input` into `output` (a file for prompts, a folder for a model), atomically: the
    /// folder is built beside `output` and renamed into place; an existing `output` is refused.
    @discardableResult
    public static func convert(_ input: URL, to output: URL) throws -> Kind {
        guard !FileManager.default.fileExists(atPath: output.path) else {
            throw FileError(output.path, "already exists; remove it or choose another --out")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: input.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            let source = try TensorFiles.open(input)
            if source.contains("ctx_pos") || source.contains("prompt_learner.ctx_pos") {
                try PromptsFile.write(try PromptsFile.read(source), to: output, metadata: ["converted_from": input.lastPathComponent])
                return .prompts
            }
        }
        let checkpoint = try CLIPCheckpoint.open(input)
        let staging = output.deletingLastPathComponent()
            .appendingPathComponent(".\(output.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: staging)
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        do {
            try AtomicFile.write(try checkpoint.configuration.huggingFaceJSON(), to: staging.appendingPathComponent("config.json"))
            var writer = SafetensorsWriter(metadata: ["format": "pt", "converted_from": input.lastPathComponent])
            for spec in checkpoint.configuration.tensorLayout() where checkpoint.weights.contains(spec.name) || spec.role != .logitScale {
                try writer.add(spec.name, try checkpoint.weights.tensor(spec.name, shape: spec.shape))
            }
            try writer.write(to: staging.appendingPathComponent("model.safetensors"))
            if let vocabulary = checkpoint.tokenizerDirectory {
                for name in ["vocab.json", "merges.txt"] {
                    try FileManager.default.copyItem(at: vocabulary.appendingPathComponent(name), to: staging.appendingPathComponent(name))
                }
            } else {
                try CLIPVocabulary.write(to: staging)
            }
            try FileManager.default.moveItem(at: staging, to: output)
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
        return .model
    }
}

/// `pointad info` on a tensor file: each tensor's name, element type and shape.
public enum TensorListing {
    public struct Line: Sendable, Equatable {
        public let name: String
        public let dtype: String
        public let shape: [Int]
    }

    /// Whether `url` looks like a checkpoint rather than a point cloud (by extension or zip content).
    public static func isTensorFile(_ url: URL) -> Bool {
        ["pt", "pth", "bin", "safetensors", "ckpt"].contains(url.pathExtension.lowercased()) || ((try? TensorFiles.isZip(url)) ?? false)
    }

    public static func list(_ url: URL) throws -> (format: String, lines: [Line]) {
        let source = try TensorFiles.open(url)
        if let torch = source as? TorchCheckpoint {
            let lines = torch.names.map { n in Line(name: n, dtype: torch.entries[n]!.dtype.displayName, shape: torch.entries[n]!.shape) }
            return (torch.isTorchScript ? "TorchScript archive" : "PyTorch checkpoint (torch.save zip)", lines)
        }
        let file = source as! SafetensorsFile
        return ("safetensors", file.names.map { n in Line(name: n, dtype: file.entries[n]!.dtype.rawValue, shape: file.entries[n]!.shape) })
    }
}
