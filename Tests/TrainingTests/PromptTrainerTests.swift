import CLIP
import Foundation
import PointADSupport
import Testing
import TensorCore
import TestSupport
@testable import Training

@Suite struct PromptTrainerTests {
    /// The anomalyclip-tiny text tower (width 64, 3 blocks, projection 32) and its tokenizer.
    static func tinyModel() throws -> (PromptTextEncoder, PromptTokens) {
        let model = try CLIPModel(directory: TestPaths.fixture("anomalyclip-tiny/model"), parts: [.text, .tokenizer])
        let encoder = try PromptTextEncoder(model.requireText())
        return (encoder, .objectAgnostic(contextLength: 4, tokenizer: try model.requireTokenizer()))
    }

    static func settings(epochs: Int, geometry: Bool = false) -> TrainingSettings {
        var s = TrainingSettings()
        s.epochs = epochs
        s.batchSize = 3
        s.contextLength = 4
        s.deepDepth = 3
        s.deepLength = 2
        s.learningRate = 1e-2
        s.seed = 5
        s.trainsGeometryLayer = geometry
        return s
    }

    /// Point scores of `examples` under the trainer's current rendering prompts.
    static func pointAUROC(_ trainer: PromptTrainer, _ examples: [TrainingExample]) throws -> Double {
        let text = try trainer.encode(trainer.state.rendering).normalized
        var scores: [Float] = [], labels: [UInt8] = []
        for e in examples {
            let pass = try RenderingLayerPass(batch: [e], text: text, temperature: 0.07)
            for j in 0..<e.pointLabels.count { scores.append(pass.pointProbabilities[0][j, 1]) }
            labels += e.pointLabels
        }
        return areaUnderROC(scores: scores, labels: labels)
    }

    @Test func learningIsReal() throws {
        let (encoder, tokens) = try Self.tinyModel()
        let data = SyntheticFeatureData(width: 32, seed: 77)
        let train = try data.examples(classIndex: 0, count: 12, seed: 1)
        let heldOut = try (1...3).flatMap { try data.examples(classIndex: $0, count: 8, seed: 100 + UInt64($0)) }
        let trainer = try PromptTrainer(encoder: encoder, tokens: tokens, settings: Self.settings(epochs: 8))
        let before = try Self.pointAUROC(trainer, heldOut)
        var losses: [Double] = []
        for _ in 0..<8 { losses.append(try trainer.trainEpoch(train).total) }
        let after = try Self.pointAUROC(trainer, heldOut)
        print("synthetic features: held-out point AUROC \(before) → \(after); epoch losses \(losses.map { String(format: "%.3f", $0) })")
        #expect(losses.last! < losses.first! - 0.1)
        #expect(after > before + 0.2)
        #expect(after > 0.85)
    }

    @Test(arguments: [false, true])
    func resumeContinuesBitForBit(geometry: Bool) throws {
        let (encoder, tokens) = try Self.tinyModel()
        let data = SyntheticFeatureData(width: 32, seed: 9)
        var train = try data.examples(classIndex: 0, count: 7, seed: 2)
        if geometry { train = try train.map { try Self.withGeometry($0) } }
        let settings = Self.settings(epochs: 3, geometry: geometry)
        // OpenBLAS rounds differently with 1 and 2 threads, and tests running beside this one
        // set its process-wide thread count; holding BLAS at one thread (and its lock) for both
        // runs makes them comparable bit for bit, as two processes are.
        var straight: PromptTrainer!, resumed: PromptTrainer!, first: PromptTrainer!
        var failure: (any Error)?
        let url = try TestPaths.temporaryDirectory().appendingPathComponent("epoch.safetensors")
        ComputeThreads.withSingleThreadedBLAS {
            do {
                straight = try PromptTrainer(encoder: encoder, tokens: tokens, settings: settings)
                for _ in 0..<3 { try straight.trainEpoch(train) }
                first = try PromptTrainer(encoder: encoder, tokens: tokens, settings: settings)
                try first.trainEpoch(train)
                try TrainingCheckpoint.write(first.state, settings: settings, metadata: ["dataset": "synthetic"], to: url)
                let (state, readSettings, metadata) = try TrainingCheckpoint.read(url)
                #expect(readSettings == settings && metadata["dataset"] == "synthetic" && state.epochsDone == 1)
                resumed = try PromptTrainer(encoder: encoder, tokens: tokens, settings: readSettings, state: state)
                for _ in 0..<2 { try resumed.trainEpoch(train) }
            } catch { failure = error }
        }
        if let failure { throw failure }
        #expect(resumed.state.optimizer.step == straight.state.optimizer.step)
        for (a, b) in zip(resumed.state.parameters, straight.state.parameters) { #expect(a.toArray() == b.toArray()) }
        for (a, b) in zip(resumed.state.optimizer.secondMoments, straight.state.optimizer.secondMoments) { #expect(a.toArray() == b.toArray()) }
        // The checkpoint is a prompts file `score` can read.
        #expect(try PromptsFile.read(url).names == first.state.rendering.names)
    }

    /// Adds geometry inputs: every other point, its pixel's patch feature in view 0.
    static func withGeometry(_ e: TrainingExample) throws -> TrainingExample {
        let points = Array(stride(from: 0, to: e.pointLabels.count, by: 2))
        let d = e.width, feats = Tensor(zeros: [points.count, d]), side = e.gridSide, cell = e.imageSize / side
        for (k, j) in points.enumerated() {
            let p = Int(e.backProjection.pixels[0][j]), r = p / e.imageSize / cell, c = p % e.imageSize / cell
            (feats.pointer + k * d).update(from: e.patchTokens.pointer + (r * side + c) * d, count: d)
        }
        return try TrainingExample(patchTokens: e.patchTokens, classTokens: e.classTokens, imageSize: e.imageSize, pixelMasks: e.pixelMasks,
                                   backProjection: e.backProjection, pointLabels: e.pointLabels, objectLabel: e.objectLabel,
                                   geometry: GeometryExample(points: points, features: feats))
    }

    @Test func epochOrderDependsOnlyOnSeedAndEpoch() throws {
        let (encoder, tokens) = try Self.tinyModel()
        let a = try PromptTrainer(encoder: encoder, tokens: tokens, settings: Self.settings(epochs: 2))
        let order = a.order(count: 10, epoch: 3)
        #expect(order.sorted() == Array(0..<10))
        #expect(order == a.order(count: 10, epoch: 3))
        #expect(order != a.order(count: 10, epoch: 4))
    }

    @Test func refusesAPlainPromptsFileForResume() throws {
        let url = try TestPaths.temporaryDirectory().appendingPathComponent("prompts.safetensors")
        try PromptsFile.write(PromptSet.random(contextLength: 4, width: 64, depth: 3, deepLength: 2, seed: 1), to: url)
        #expect(throws: FileError.self) { try TrainingCheckpoint.read(url) }
    }
}
