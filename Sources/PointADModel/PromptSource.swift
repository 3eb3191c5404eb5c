import CLIP
import Foundation
import PointADSupport

/// Where a detector's text side comes from: a trained prompts file, or the built-in hand-written
/// templates (zero-shot out of the box, without training).
public enum PromptSource: Sendable, Equatable {
    case file(URL)
    case builtIn

    /// `nil` (no `--prompts`) means the built-in templates.
    public init(path: String?) {
        self = path.map { .file(URL(fileURLWithPath: $0)) } ?? .builtIn
    }

    /// What every output records under "prompts": the file's path, or the built-in label.
    public var label: String {
        switch self {
        case .file(let url): return url.path
        case .builtIn: return BuiltInPrompts.label
        }
    }

    /// The prompts file's metadata (e.g. the training classes); empty for the built-in templates.
    public func metadata() throws -> [String: String] {
        guard case .file(let url) = self else { return [:] }
        return try SafetensorsFile(contentsOf: url).metadata
    }
}
