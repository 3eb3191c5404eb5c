import Foundation

/// Facts about a model folder that every command reporting results must surface.
public enum ModelFolder {
    /// The `config.json` key that `pointad init-model` sets on models with random weights.
    public static let randomWeightsKey = "pointad_random_weights"

    /// The line to print with (and write into) any result computed with random weights.
    public static let randomWeightsWarning =
        "WARNING: this model has RANDOM weights (made by `pointad init-model`); scores and metrics are for testing the pipeline and mean nothing about real performance"

    /// Whether `directory/config.json` marks the model as randomly initialised. A missing or
    /// unreadable config counts as not marked (loading the model reports that problem).
    public static func isRandomWeights(_ directory: URL) -> Bool {
        let url = directory.appendingPathComponent("config.json")
        guard let data = FileManager.default.contents(atPath: url.path),
              let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return false }
        return (root[randomWeightsKey] as? Bool) == true
    }
}
