import PointADSupport
import TensorCore

/// NaN or ±Inf produced by a stage (weights large enough to overflow float32, an input far outside
/// what the model was made for) is stopped where it appears, naming the stage, before any output is
/// written: no PLY, PNG or JSON ever holds NaN, and no score prints as "-nan". Weights and prompts
/// themselves are checked when they are read (`SafetensorsFile.tensor`).
enum FiniteStages {
    /// Throws when `values` holds NaN or ±Inf; `stage` says what produced them, `path` where.
    static func require(_ values: [Float], path: String, stage: @autoclosure () -> String) throws {
        if let i = NonFiniteScan.firstIndex(values) { throw failure(path, stage(), values[i], index: i, count: values.count) }
    }

    static func require(_ tensor: Tensor, path: String, stage: @autoclosure () -> String) throws {
        if let i = tensor.firstNonFiniteIndex { throw failure(path, stage(), tensor.pointer[i], index: i, count: tensor.count) }
    }

    static func failure(_ path: String, _ stage: String, _ value: Float, index: Int, count: Int) -> FileError {
        FileError(path, "\(stage) produced a non-finite value (\(value) at \(index) of \(count)); nothing was written. "
                  + "The model's weights or configuration overflow float32 on this input")
    }

    /// The prompts' text features, right after the text tower.
    static func requirePrompts(_ features: PromptFeatures, set: String, prompts: String, model: String) throws {
        try require(features.embeddings, path: prompts, stage: "the text tower of \(model) on the \(set) prompts")
    }

    /// Every view's CLIP features.
    static func requireViews(_ views: [ViewFeatures], cloud: String, model: String) throws {
        for (k, view) in views.enumerated() {
            try require(view.classEmbedding, path: cloud, stage: "the vision tower of \(model) (view \(k), class token)")
            for (l, layer) in view.layers.enumerated() {
                try require(layer, path: cloud, stage: "the vision tower of \(model) (view \(k), selected layer \(l))")
            }
        }
    }

    /// The scores a cloud ends with, stage by stage.
    static func requireScores(_ scores: CloudScores, final pointScores: [Float], cloud: String) throws {
        try require(scores.renderingPointScores, path: cloud, stage: "the rendering layer")
        if let g = scores.geometryPointScores { try require(g, path: cloud, stage: "the geometry layer") }
        try require(scores.rendering.globalProbabilities, path: cloud, stage: "the class-token scoring")
        if let map = scores.gridMap { try require(map, path: cloud, stage: "the smoothing of the organised map") }
        try require(pointScores + [scores.objectScore], path: cloud, stage: "score fusion")
    }
}
