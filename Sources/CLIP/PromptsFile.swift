import Foundation
import PointADSupport
import TensorCore

/// The prompts file: a safetensors file with the authors' tensor names (`ctx_pos`, `ctx_neg`
/// [n_ctx, width], `compound_prompts_text.j` [length, width]) and JSON-free string metadata under
/// `__metadata__` (`format` = "pointad-prompts", sizes, and whatever the writer adds, e.g. the
/// training class and epoch). Other tensors (e.g. optimiser state) may sit beside them.
///
/// Reading also imports the authors' own prompt-learner tensors once re-saved as safetensors:
/// `ctx_pos`/`ctx_neg` as [1, 1, n_ctx, width] or [n_ctx, width], optionally under a
/// `prompt_learner.` prefix, with n_ctx, depth and length taken from the shapes.
public enum PromptsFile {
    public static let format = "pointad-prompts"

    /// Writes `prompts` (and `extraTensors`) atomically.
    public static func write(_ prompts: PromptSet, to url: URL, metadata: [String: String] = [:], extraTensors: [String: Tensor] = [:]) throws {
        var info = metadata
        info["format"] = format
        info["n_ctx"] = String(prompts.contextLength)
        info["depth"] = String(prompts.depth)
        info["length"] = String(prompts.deepLength)
        info["width"] = String(prompts.width)
        info["pointad_version"] = PointADVersion.string
        var writer = SafetensorsWriter(metadata: info)
        for (name, tensor) in prompts.named { try writer.add(name, tensor) }
        for (name, tensor) in extraTensors {
            guard !prompts.names.contains(name) else { throw UsageError("extra tensor '\(name)' collides with a prompt tensor") }
            try writer.add(name, tensor)
        }
        try writer.write(to: url)
    }

    /// Reads a prompts file or the authors' tensors. With `width`, a file made for another model
    /// width is refused, naming both widths.
    public static func read(_ url: URL, width expectedWidth: Int? = nil) throws -> PromptSet {
        try read(TensorFiles.open(url), width: expectedWidth)
    }

    /// `prefix` reads a set stored under prefixed names (e.g. PointAD+'s `geometry.ctx_pos`).
    public static func read(_ file: any TensorSource, width expectedWidth: Int? = nil, prefix explicitPrefix: String? = nil) throws -> PromptSet {
        let path = file.path
        let prefix = explicitPrefix.map { file.contains($0 + "ctx_pos") ? $0 : nil }
            ?? (file.contains("ctx_pos") ? "" : (file.contains("prompt_learner.ctx_pos") ? "prompt_learner." : nil))
        guard let prefix else {
            throw FileError(path, "not a prompts file: tensor '\(explicitPrefix ?? "")ctx_pos'\(explicitPrefix == nil ? " (or 'prompt_learner.ctx_pos')" : "") is missing")
        }
        func context(_ name: String) throws -> Tensor {
            let shape = try file.shape(of: prefix + name)
            let leadingOnes = shape.count >= 2 && shape.dropLast(2).allSatisfy { $0 == 1 }
            guard leadingOnes, shape[shape.count - 2] >= 1, shape.last! >= 1 else {
                throw FileError(path, "tensor '\(prefix + name)' has shape \(shape), expected [n_ctx, width] or [1, 1, n_ctx, width]")
            }
            return try file.tensor(prefix + name).reshaped(Array(shape.suffix(2))).copy()
        }
        let pos = try context("ctx_pos"), neg = try context("ctx_neg")
        guard pos.shape == neg.shape else {
            throw FileError(path, "'\(prefix)ctx_pos' has shape \(pos.shape) but '\(prefix)ctx_neg' has \(neg.shape)")
        }
        let width = pos.shape[1]
        if let expectedWidth, expectedWidth != width {
            throw FileError(path, "prompts have width \(width) but the model's text width is \(expectedWidth)")
        }
        var deep: [Tensor] = []
        while file.contains("\(prefix)compound_prompts_text.\(deep.count)") {
            let name = "\(prefix)compound_prompts_text.\(deep.count)"
            let t = try file.tensor(name)
            guard t.rank == 2, t.shape[1] == width, t.shape[0] >= 1 else {
                throw FileError(path, "tensor '\(name)' has shape \(t.shape), expected [length, \(width)]")
            }
            if let first = deep.first, first.shape != t.shape {
                throw FileError(path, "tensor '\(name)' has shape \(t.shape) but '\(prefix)compound_prompts_text.0' has \(first.shape)")
            }
            deep.append(t.copy())
        }
        let stray = file.names.filter { $0.hasPrefix(prefix + "compound_prompts_text.") && !(0..<deep.count).contains(Int($0.dropFirst(prefix.count + 22)) ?? -1) }
        if let first = stray.first {
            throw FileError(path, "tensor '\(first)' does not follow compound_prompts_text.0…\(deep.count - 1) without a gap")
        }
        // Our own files declare their depth: a deep-prompt tensor dropped from the end would
        // otherwise read as a shallower prompt set and score with it silently.
        if prefix.isEmpty, file.metadata["format"] == format, let declared = file.metadata["depth"].flatMap({ Int($0) }), declared != deep.count + 1 {
            let missing = "compound_prompts_text.\(deep.count)"
            throw FileError(path, "declares depth \(declared) (\(max(declared - 1, 0)) deep-prompt tensors) but holds \(deep.count)\(declared > deep.count + 1 ? ": tensor '\(missing)' is missing" : "")")
        }
        return PromptSet(contexts: [pos, neg], deepTokens: deep)
    }
}
