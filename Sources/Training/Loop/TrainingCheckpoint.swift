import CLIP
import Foundation
import PointADSupport
import TensorCore

/// A training checkpoint is a prompts file (`PromptsFile`, so `score` and `eval` read it as is):
/// the rendering prompts under the authors' names, PointAD+'s geometry prompts under `geometry.`,
/// Adam's moments under `adam.m.` / `adam.v.`, and in the metadata the training settings (JSON),
/// the epochs done, the optimiser step and whatever the caller adds (model, data, renderer…).
/// Written atomically, so a run killed at any moment leaves the previous epoch's file intact.
public enum TrainingCheckpoint {
    public static let geometryPrefix = "geometry."
    static let settingsKey = "training_settings"

    public static func write(_ state: TrainingState, settings: TrainingSettings, metadata: [String: String] = [:], to url: URL) throws {
        var info = metadata
        let json = try JSONEncoder.sorted.encode(settings)
        info[settingsKey] = String(decoding: json, as: UTF8.self)
        info["epochs_done"] = String(state.epochsDone)
        info["optimizer_step"] = String(state.optimizer.step)
        info["method"] = state.geometry == nil ? "pointad" : "pointad+"
        var extra: [String: Tensor] = [:]
        for (name, tensor) in state.geometry?.named ?? [] { extra[geometryPrefix + name] = tensor }
        for (i, name) in parameterNames(state).enumerated() {
            extra["adam.m." + name] = state.optimizer.firstMoments[i]
            extra["adam.v." + name] = state.optimizer.secondMoments[i]
        }
        try PromptsFile.write(state.rendering, to: url, metadata: info, extraTensors: extra)
    }

    /// Reads a checkpoint written by `write`: the state to resume from, its settings and metadata.
    public static func read(_ url: URL) throws -> (state: TrainingState, settings: TrainingSettings, metadata: [String: String]) {
        let file = try SafetensorsFile(contentsOf: url)
        let path = url.path
        guard let json = file.metadata[settingsKey] else {
            throw FileError(path, "not a training checkpoint: no '\(settingsKey)' in its metadata (a prompts file can be scored, not resumed)")
        }
        let settings: TrainingSettings
        do { settings = try JSONDecoder().decode(TrainingSettings.self, from: Data(json.utf8)) } catch {
            throw FileError(path, "unreadable training settings in the metadata: \(error)")
        }
        guard let epochs = file.metadata["epochs_done"].flatMap(Int.init), epochs >= 0,
              let step = file.metadata["optimizer_step"].flatMap(Int.init), step >= 0
        else { throw FileError(path, "training checkpoint without valid 'epochs_done' and 'optimizer_step' metadata") }
        let rendering = try PromptsFile.read(file)
        let geometry = file.contains(geometryPrefix + "ctx_pos") ? try readGeometry(file, like: rendering) : nil
        var state = TrainingState(rendering: rendering, geometry: geometry, epochsDone: epochs,
                                  optimizer: AdamOptimizer(shapes: [], learningRate: settings.learningRate))
        var first: [Tensor] = [], second: [Tensor] = []
        for (i, name) in parameterNames(state).enumerated() {
            let m = try file.tensor("adam.m." + name).copy(), v = try file.tensor("adam.v." + name).copy()
            guard m.count == state.parameters[i].count, v.count == m.count else {
                throw FileError(path, "optimiser moments of '\(name)' have shapes \(m.shape)/\(v.shape), the tensor has \(state.parameters[i].shape)")
            }
            first.append(try m.reshaped(state.parameters[i].shape))
            second.append(try v.reshaped(state.parameters[i].shape))
        }
        state.optimizer = try AdamOptimizer(restoring: step, firstMoments: first, secondMoments: second, learningRate: settings.learningRate)
        return (state, settings, file.metadata)
    }

    /// The geometry prompts: the rendering prompts' names and shapes under `geometry.`.
    static func readGeometry(_ file: SafetensorsFile, like rendering: PromptSet) throws -> PromptSet {
        func read(_ name: String, _ like: Tensor) throws -> Tensor {
            let t = try file.tensor(geometryPrefix + name)
            guard t.count == like.count else {
                throw FileError(file.path, "tensor '\(geometryPrefix + name)' has shape \(t.shape), the rendering prompts' has \(like.shape)")
            }
            return try t.copy().reshaped(like.shape)
        }
        let named = try rendering.named.map { try read($0.name, $0.tensor) }
        return PromptSet(contexts: Array(named.prefix(2)), deepTokens: Array(named.dropFirst(2)))
    }

    static func parameterNames(_ state: TrainingState) -> [String] {
        state.rendering.names + (state.geometry?.names.map { geometryPrefix + $0 } ?? [])
    }
}

extension JSONEncoder {
    /// Sorted keys: the same settings always give the same bytes.
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }
}
