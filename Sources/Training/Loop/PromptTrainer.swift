import CLIP
import PointADSupport
import TensorCore

/// Trains the prompts: each step runs the text encoder on the current prompts (once for the whole
/// batch: prompts do not depend on the input), scores the batch's cached features, and sends the
/// loss gradient back through the text encoder into Adam.
///
/// Deterministic: the epoch's sample order comes from (seed, epoch) and the alignment anchors from
/// (seed, step), so a run resumed from an epoch checkpoint repeats the uninterrupted run exactly.
public final class PromptTrainer {
    public let encoder: PromptTextEncoder
    public let tokens: PromptTokens
    public let settings: TrainingSettings
    public private(set) var state: TrainingState
    let objective: PromptObjective

    /// Starts from `state` (a checkpoint), or fresh prompts drawn from the seed.
    public init(encoder: PromptTextEncoder, tokens: PromptTokens, settings: TrainingSettings, state: TrainingState? = nil) throws {
        try settings.validate()
        guard tokens.contextLength == settings.contextLength else {
            throw UsageError("prompt tokens have \(tokens.contextLength) context tokens, settings say \(settings.contextLength)")
        }
        guard settings.deepDepth <= encoder.blocks.count else {
            throw UsageError("deep-prompt depth \(settings.deepDepth) exceeds the \(encoder.blocks.count) text blocks")
        }
        self.encoder = encoder
        self.tokens = tokens
        self.settings = settings
        objective = settings.objective
        if let state {
            guard state.rendering.width == encoder.width, (state.geometry != nil) == settings.trainsGeometryLayer else {
                throw UsageError("checkpoint prompts of width \(state.rendering.width)\(state.geometry == nil ? "" : " with geometry prompts") do not fit a text width of \(encoder.width)\(settings.trainsGeometryLayer ? " with geometry prompts" : "")")
            }
            self.state = state
        } else {
            let (rendering, geometry) = Self.initialPrompts(settings, width: encoder.width)
            let parameters = rendering.tensors + (geometry?.tensors ?? [])
            self.state = TrainingState(rendering: rendering, geometry: geometry, epochsDone: 0,
                                       optimizer: AdamOptimizer(shapes: parameters.map(\.shape), learningRate: settings.learningRate))
        }
    }

    /// The prompts a fresh run starts from: drawn from the seed (geometry prompts from a derived seed).
    public static func initialPrompts(_ s: TrainingSettings, width: Int) -> (rendering: PromptSet, geometry: PromptSet?) {
        let rendering = PromptSet.random(contextLength: s.contextLength, width: width, depth: s.deepDepth,
                                         deepLength: s.deepLength, seed: s.seed)
        let geometry = s.trainsGeometryLayer
            ? PromptSet.random(contextLength: s.contextLength, width: width, depth: s.deepDepth,
                               deepLength: s.deepLength, seed: s.seed &+ 0x6E0)
            : nil
        return (rendering, geometry)
    }

    /// Normalised text embeddings [2, P] of the current prompts, with the tape and norms for backward.
    func encode(_ prompts: PromptSet) throws -> (tape: PromptTextEncoder.Tape, normalized: Tensor, norms: [Float]) {
        let tape = try encoder.forward(tokens: tokens, prompts: prompts)
        let (normalized, norms) = L2Normalization.forward(tape.features)
        return (tape, normalized, norms)
    }

    /// One optimisation step on `batch`; returns its loss terms.
    @discardableResult
    public func step(_ batch: [TrainingExample]) throws -> LossTerms {
        let rendering = try encode(state.rendering)
        let geometry = try state.geometry.map { try encode($0) }
        let result = try objective.evaluate(batch: batch, renderingText: rendering.normalized, geometryText: geometry?.normalized,
                                            anchorSeed: settings.seed &* 0x9E37_79B9 &+ UInt64(state.optimizer.step))
        guard result.terms.total.isFinite else { throw UsageError("the training loss became \(result.terms.total) at step \(state.optimizer.step + 1)") }
        var gradients = try encoder.backward(
            L2Normalization.backward(result.renderingTextGradient, output: rendering.normalized, norms: rendering.norms),
            tape: rendering.tape).tensors
        if let geometry, let dGeometry = result.geometryTextGradient {
            gradients += try encoder.backward(L2Normalization.backward(dGeometry, output: geometry.normalized, norms: geometry.norms),
                                              tape: geometry.tape).tensors
        }
        try state.optimizer.update(parameters: state.parameters, gradients: gradients)
        return result.terms
    }

    /// The order of the examples in epoch `epoch` (0-based): a Fisher–Yates shuffle seeded by
    /// (seed, epoch), so it does not depend on anything that happened before.
    public func order(count: Int, epoch: Int) -> [Int] {
        var rng = SeededRandom(seed: settings.seed &+ 0x5EED &* UInt64(epoch + 1))
        var order = Array(0..<count)
        if count > 1 {
            for i in stride(from: count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        }
        return order
    }

    /// Runs the next epoch over `examples` in batches; `progress` is told after every batch.
    /// Returns the epoch's mean loss terms.
    @discardableResult
    public func trainEpoch(_ examples: [TrainingExample], progress: ((LossTerms, Int) -> Void)? = nil) throws -> LossTerms {
        try trainEpoch(count: examples.count, example: { examples[$0] }, progress: progress)
    }

    /// The same over `count` examples fetched by index when their batch comes (e.g. from a feature
    /// cache), so an epoch holds one batch in memory, not the training set.
    @discardableResult
    public func trainEpoch(count: Int, example: (Int) throws -> TrainingExample,
                           progress: ((LossTerms, Int) -> Void)? = nil) throws -> LossTerms {
        guard count > 0 else { throw UsageError("no training examples") }
        let order = order(count: count, epoch: state.epochsDone)
        var sum = LossTerms(), batches = 0
        var start = 0
        while start < order.count {
            let batch = try order[start..<min(start + settings.batchSize, order.count)].map { try example($0) }
            let terms = try step(batch)
            sum = sum + terms
            batches += 1
            start += batch.count
            progress?(terms, batch.count)
        }
        state.epochsDone += 1
        return sum.scaled(by: 1 / Double(batches))
    }
}

/// What a checkpoint holds: the prompts, the optimiser state and how many epochs are done.
public struct TrainingState: Sendable {
    public var rendering: PromptSet
    public var geometry: PromptSet?
    public var epochsDone: Int
    public var optimizer: AdamOptimizer

    public init(rendering: PromptSet, geometry: PromptSet?, epochsDone: Int, optimizer: AdamOptimizer) {
        self.rendering = rendering
        self.geometry = geometry
        self.epochsDone = epochsDone
        self.optimizer = optimizer
    }

    /// The learnable tensors in optimiser order: rendering prompts, then geometry prompts.
    public var parameters: [Tensor] { rendering.tensors + (geometry?.tensors ?? []) }
}
