import Foundation

/// The classes a prompts file was trained on, as `pointad train` records them in its metadata
/// (`dataset`, `classes`). PointAD's zero-shot protocol tests on the other classes only, so
/// `eval` leaves these out unless asked to keep them.
public struct TrainingClasses: Sendable, Equatable {
    public var dataset: String
    /// Class names; nil when the file says "all" (trained on every class of its tree).
    public var classes: [String]?

    /// Nil when the metadata records no training (the built-in templates, the authors' files).
    public init?(metadata: [String: String]) {
        guard let dataset = metadata["dataset"], let list = metadata["classes"] else { return nil }
        self.dataset = dataset
        let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        classes = names == ["all"] ? nil : names
    }

    /// The classes of `available` (from a `dataset` tree) left to evaluate, and those left out.
    public func split(_ available: [String], dataset evaluated: DatasetKind) -> (kept: [String], excluded: [String]) {
        guard evaluated.rawValue == dataset, let classes else { return (available, []) }
        return (available.filter { !classes.contains($0) }, available.filter { classes.contains($0) })
    }
}
