import PointADSupport

/// Every setting of a training run: the optimisation, the prompt shapes and the loss. Saved in
/// each checkpoint (JSON), so a resumed run and a later `score` use exactly these values.
/// Defaults are the reference's (dossier §6.1).
public struct TrainingSettings: Sendable, Equatable, Codable {
    public var epochs = 15
    public var batchSize = 4
    public var learningRate: Float = 1e-3
    public var seed: UInt64 = 111
    /// n_ctx: learnable context tokens per prompt.
    public var contextLength = 12
    /// Text blocks that see learnable tokens (deep token sets = depth − 1).
    public var deepDepth = 9
    /// Deep tokens per block.
    public var deepLength = 4
    public var weights = LossWeights()
    public var temperature: Float = 0.07
    /// Train PointAD+'s geometry prompts and alignment as well as the rendering prompts.
    public var trainsGeometryLayer = false
    /// Reproduce the reference's object-loss view grouping for batch > 1 (dossier §6.3).
    public var replicatesViewGroupingBug = false
    public var alignmentTemperature: Float = 0.1
    public var alignmentAnchors = 256
    /// PointAD+'s G-aggregation and geometry points per object (used with `trainsGeometryLayer`).
    public var geometry = GeometryTrainingSettings()

    public init() {}

    public func validate() throws {
        guard epochs >= 1 else { throw UsageError("epochs must be ≥ 1, got \(epochs)") }
        guard batchSize >= 1 else { throw UsageError("batch size must be ≥ 1, got \(batchSize)") }
        guard learningRate > 0, learningRate.isFinite else { throw UsageError("learning rate must be > 0, got \(learningRate)") }
        guard contextLength >= 1 else { throw UsageError("n_ctx must be ≥ 1, got \(contextLength)") }
        guard deepDepth >= 1 else { throw UsageError("deep-prompt depth must be ≥ 1 (1 = no deep tokens), got \(deepDepth)") }
        guard deepLength >= 1, deepLength <= contextLength else {
            throw UsageError("deep-prompt length must be in 1…n_ctx (\(contextLength)), got \(deepLength)")
        }
        guard temperature > 0, alignmentTemperature > 0 else { throw UsageError("temperatures must be > 0") }
        guard alignmentAnchors >= 2 else { throw UsageError("alignment anchors must be ≥ 2, got \(alignmentAnchors)") }
        if trainsGeometryLayer { try geometry.validate() }
    }

    /// The loss of these settings.
    public var objective: PromptObjective {
        var o = PromptObjective()
        o.weights = weights
        o.temperature = temperature
        o.replicatesViewGroupingBug = replicatesViewGroupingBug
        o.alignmentTemperature = alignmentTemperature
        o.alignmentAnchors = alignmentAnchors
        return o
    }
}
