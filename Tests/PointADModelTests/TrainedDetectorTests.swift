import CLIP
import Foundation
import PointADModel
import Rendering
import Testing
import TensorCore
import TestSupport
import Training

/// Training and scoring together: prompts trained by the training engine (through the authors'
/// tiny text tower) on objects of one synthetic class, then the detector's scoring path
/// (`PointScorer`: maps, back-projection, 3-D smoothing, object score) on held-out objects of other
/// classes. The frozen "CLIP features" follow a known rule — every patch is normalise(class
/// direction + noise), patches over a defect add a defect direction shared by all classes — so only
/// prompts that learned the defect direction can find the defects. Random-weight CLIP features of
/// real renders carry no such learnable signal (measured: point-score gaps stay ~0), hence the rule.
@Suite("trained prompts on the detector's scoring path")
struct TrainedDetectorTests {
    static let width = 32, side = 4, image = 16, views = 3, points = 64

    struct Object {
        let features: [ViewFeatures]
        let projections: [ViewProjection]
        let positions: [SIMD3<Float>]
        let labels: [UInt8]
        let masks: [[UInt8]]
        let defective: Bool
    }

    static func unit(_ v: [Float]) -> [Float] {
        let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return v.map { $0 / n }
    }

    /// Objects of one class; odd ones have a defect over a 2×2 block of patches.
    static func objects(classIndex: Int, count: Int, seed: UInt64, defect: [Float]) throws -> [Object] {
        let direction = unit(randomFloats(width, seed: 1000 + UInt64(classIndex)))
        var rng = SeededRandom(seed: seed)
        return try (0..<count).map { index in
            let defective = index % 2 == 1
            let r0 = Int(rng.next() % UInt64(side - 1)), c0 = Int(rng.next() % UInt64(side - 1))
            func inDefect(_ r: Int, _ c: Int) -> Bool { defective && (r0...(r0 + 1)).contains(r) && (c0...(c0 + 1)).contains(c) }
            let cell = image / side
            var mask = [UInt8](repeating: 0, count: image * image)
            for y in 0..<image { for x in 0..<image where inDefect(y / cell, x / cell) { mask[y * image + x] = 1 } }
            let features = try (0..<views).map { _ -> ViewFeatures in
                var values: [Float] = []
                for r in 0..<side {
                    for c in 0..<side {
                        values += unit((0..<width).map { i in
                            direction[i] + 0.6 * (rng.uniform() * 2 - 1) + (inDefect(r, c) ? 1.2 * defect[i] : 0)
                        })
                    }
                }
                let global = unit((0..<width).map { i in direction[i] + 0.3 * (rng.uniform() * 2 - 1) + (defective ? 0.8 * defect[i] : 0) })
                return try ViewFeatures(layers: [Tensor(shape: [side * side, width], values: values)], classEmbedding: Tensor(shape: [width], values: global))
            }
            // Points on a plane, each at its pixel in every view (the image is a view of the plane).
            let pixels = (0..<points).map { _ in Int32(rng.next() % UInt64(image * image)) }
            let positions = pixels.map { SIMD3<Float>(Float(Int($0) % image), Float(Int($0) / image), 0) }
            let projection = ViewProjection(size: image, pixels: pixels, visible: [Bool](repeating: true, count: points))
            return Object(features: features, projections: Array(repeating: projection, count: views), positions: positions,
                          labels: pixels.map { mask[Int($0)] }, masks: Array(repeating: mask, count: views), defective: defective)
        }
    }

    static func example(_ o: Object) throws -> TrainingExample {
        let tokens = Tensor(zeros: [views, 1, side * side, width]), classes = Tensor(zeros: [views, width])
        for (v, f) in o.features.enumerated() {
            (tokens.pointer + v * side * side * width).update(from: f.layers[0].pointer, count: side * side * width)
            (classes.pointer + v * width).update(from: f.classEmbedding.pointer, count: width)
        }
        return try TrainingExample(patchTokens: tokens, classTokens: classes, imageSize: image, pixelMasks: o.masks,
                                   backProjection: PointBackProjection(pixels: o.projections.map(\.pixels), pixelsPerView: image * image),
                                   pointLabels: o.labels, objectLabel: o.defective ? 1 : 0)
    }

    /// Held-out point AUROC (Mann–Whitney, ties half) and mean defect − intact score, via PointScorer.
    static func evaluate(_ prompts: PromptSet, text: TextTransformer, tokenizer: CLIPTokenizer, objects: [Object]) throws -> (auroc: Double, gap: Float) {
        let scorer = try PointScorer(renderingPrompts: PromptFeatures(embeddings: text.promptFeatures(prompts, tokenizer: tokenizer)),
                                     settings: ScoringSettings())
        var positives: [Float] = [], negatives: [Float] = []
        for o in objects {
            let cloud = CloudGeometry(positions: o.positions, neighbourhoods: try PointNeighbourhoods.bruteForce(o.positions, k: 8))
            let scores = try scorer.score(views: o.features, projections: o.projections, cloud: cloud).pointScores
            for (s, l) in zip(scores, o.labels) { if l != 0 { positives.append(s) } else { negatives.append(s) } }
        }
        var wins = 0.0
        for p in positives { for n in negatives { wins += p > n ? 1 : (p == n ? 0.5 : 0) } }
        let mean = { (v: [Float]) in v.reduce(0, +) / Float(v.count) }
        return (wins / Double(positives.count * negatives.count), mean(positives) - mean(negatives))
    }

    @Test("after training on one class, held-out classes' defects score above intact points")
    func defectsScoreHigher() throws {
        let model = try CLIPModel(directory: TestPaths.fixture("anomalyclip-tiny/model"), parts: [.text, .tokenizer])
        let text = try model.requireText(), tokenizer = try model.requireTokenizer()
        let defect = Self.unit(randomFloats(Self.width, seed: 77))
        let train = try Self.objects(classIndex: 0, count: 12, seed: 1, defect: defect)
        let heldOut = try (1...3).flatMap { try Self.objects(classIndex: $0, count: 8, seed: 100 + UInt64($0), defect: defect) }

        var settings = TrainingSettings()
        settings.epochs = 8
        settings.batchSize = 3
        settings.contextLength = 4
        settings.deepDepth = 3
        settings.deepLength = 2
        settings.learningRate = 1e-2
        let trainer = try PromptTrainer(encoder: PromptTextEncoder(text), tokens: .objectAgnostic(contextLength: 4, tokenizer: tokenizer),
                                        settings: settings)
        let before = try Self.evaluate(trainer.state.rendering, text: text, tokenizer: tokenizer, objects: heldOut)
        let examples = try train.map(Self.example)
        for _ in 0..<settings.epochs { _ = try trainer.trainEpoch(examples) }
        let after = try Self.evaluate(trainer.state.rendering, text: text, tokenizer: tokenizer, objects: heldOut)
        print("held-out point AUROC \(before.auroc) → \(after.auroc); defect − intact score \(before.gap) → \(after.gap)")
        #expect(after.auroc > 0.85 && after.auroc > before.auroc + 0.2)
        #expect(after.gap > 0.1)
    }
}
