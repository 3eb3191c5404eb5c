import CLIP
import Foundation
import PointADSupport
import TensorCore

/// PointAD+'s hierarchical prompts as stored in one prompts file: the rendering prompts under the
/// authors' names (`ctx_pos`, `ctx_neg`, `compound_prompts_text.j`, so a PointAD checkpoint is a
/// valid file) and, for PointAD+, the geometry prompts under the same names prefixed `geometry.`.
public struct HierarchicalPrompts: Sendable {
    public static let geometryPrefix = "geometry."

    public var rendering: PromptSet
    public var geometry: PromptSet?

    public init(rendering: PromptSet, geometry: PromptSet? = nil) {
        self.rendering = rendering
        self.geometry = geometry
    }

    /// Reads both sets; `width` (the text tower's) refuses a file made for another model size.
    public static func read(_ url: URL, width: Int? = nil) throws -> HierarchicalPrompts {
        let file = try TensorFiles.open(url)  // safetensors, or the authors' .pth
        let rendering = try PromptsFile.read(file, width: width)
        let geometry = file.contains(geometryPrefix + "ctx_pos")
            ? try PromptsFile.read(file, width: width ?? rendering.width, prefix: geometryPrefix) : nil
        // Both sets are trained with one depth; a shallower geometry set lost a deep-prompt tensor.
        if let geometry, geometry.depth != rendering.depth {
            let missing = geometry.depth < rendering.depth ? "\(geometryPrefix)compound_prompts_text.\(geometry.depth - 1)" : "compound_prompts_text.\(rendering.depth - 1)"
            throw FileError(url.path, "the geometry prompts have depth \(geometry.depth) but the rendering prompts \(rendering.depth): tensor '\(missing)' is missing")
        }
        return HierarchicalPrompts(rendering: rendering, geometry: geometry)
    }

    /// Writes both sets (geometry under its prefix) atomically, with `metadata` and `extraTensors`.
    public func write(to url: URL, metadata: [String: String] = [:], extraTensors: [String: Tensor] = [:]) throws {
        var extra = extraTensors
        for (name, tensor) in geometry?.named ?? [] { extra[Self.geometryPrefix + name] = tensor }
        try PromptsFile.write(rendering, to: url, metadata: metadata, extraTensors: extra)
    }

    /// The normal/abnormal text features of each set through the frozen text tower.
    public func textFeatures(text: TextTransformer, tokenizer: CLIPTokenizer) throws -> (rendering: PromptFeatures, geometry: PromptFeatures?) {
        let r = try PromptFeatures(embeddings: text.promptFeatures(rendering, tokenizer: tokenizer))
        let g = try geometry.map { try PromptFeatures(embeddings: text.promptFeatures($0, tokenizer: tokenizer)) }
        return (r, g)
    }
}
