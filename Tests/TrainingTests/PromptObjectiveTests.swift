import PointADModel
import Testing
import TensorCore
import TestSupport
@testable import Training

/// The whole training loss (rendering layer, class-token losses, geometry layer, alignment)
/// differentiated by hand against finite differences in the prompt embeddings.
@Suite struct PromptObjectiveTests {
    static func example(seed: UInt64, views: Int = 2, layers: Int = 2, side: Int = 3, image: Int = 7, width: Int = 5,
                        points: Int = 12, label: Int, geometry: Bool) throws -> TrainingExample {
        var rng = SeededRandom(seed: seed)
        let tokens = L2Normalization.forward(randomTensor([views * layers * side * side, width], seed: seed &+ 1)).output
        let classes = L2Normalization.forward(randomTensor([views, width], seed: seed &+ 2)).output
        let pixels = (0..<views).map { _ in (0..<points).map { _ in rng.uniform() < 0.8 ? Int32(rng.next() % UInt64(image * image)) : -1 } }
        let labels = (0..<points).map { _ in UInt8(label == 1 && rng.uniform() < 0.4 ? 1 : 0) }
        let masks = (0..<views).map { _ in (0..<(image * image)).map { _ in UInt8(label == 1 && rng.uniform() < 0.2 ? 1 : 0) } }
        var geo: GeometryExample?
        if geometry {
            let subset = [0, 2, 3, 5, 7, 8, 11]
            geo = try GeometryExample(points: subset, features: L2Normalization.forward(randomTensor([subset.count, width], seed: seed &+ 3)).output)
        }
        return try TrainingExample(patchTokens: tokens.reshaped([views, layers, side * side, width]), classTokens: classes,
                                   imageSize: image, pixelMasks: masks,
                                   backProjection: PointBackProjection(pixels: pixels, pixelsPerView: image * image),
                                   pointLabels: labels, objectLabel: label, geometry: geo)
    }

    static func text(seed: UInt64) -> Tensor { L2Normalization.forward(randomTensor([2, 5], seed: seed)).output }

    @Test(arguments: [false, true])
    func renderingGradientMatchesFiniteDifferences(bug: Bool) throws {
        let batch = try [Self.example(seed: 1, label: 1, geometry: false), Self.example(seed: 20, label: 0, geometry: false)]
        var objective = PromptObjective()
        objective.temperature = 0.5
        objective.replicatesViewGroupingBug = bug
        objective.weights.pixelFocal = 2  // distinct weights catch a term added with the wrong one
        objective.weights.viewCrossEntropy = 0.5
        let text = Self.text(seed: 3)
        let result = try objective.evaluate(batch: batch, renderingText: text)
        #expect(result.geometryTextGradient == nil)
        let numeric = try finiteDifferenceGradient(of: text, step: 1e-2) { try objective.evaluate(batch: batch, renderingText: text).terms.total }
        #expect(maxRelativeError(result.renderingTextGradient.toArray(), numeric) < 1e-3)
        let t = result.terms
        #expect(abs(t.total - (2 * t.pixelFocal + t.pixelDice + t.pointDice + t.objectCrossEntropy + 0.5 * t.viewCrossEntropy)) < 1e-9)
    }

    @Test func geometryAndAlignmentGradientsMatchFiniteDifferences() throws {
        let batch = try [Self.example(seed: 4, label: 1, geometry: true), Self.example(seed: 40, label: 1, geometry: true)]
        var objective = PromptObjective()
        objective.temperature = 0.5
        objective.weights.alignment = 0.7
        objective.alignmentAnchors = 5  // fewer than the 7 geometry points: exercises the sampling
        let rendering = Self.text(seed: 5), geometry = Self.text(seed: 6)
        let result = try objective.evaluate(batch: batch, renderingText: rendering, geometryText: geometry, anchorSeed: 9)
        #expect(result.terms.alignment > 0 && result.terms.geometryDice > 0)
        func loss() throws -> Double {
            try objective.evaluate(batch: batch, renderingText: rendering, geometryText: geometry, anchorSeed: 9).terms.total
        }
        let dRendering = try finiteDifferenceGradient(of: rendering, step: 1e-2, loss)
        let dGeometry = try finiteDifferenceGradient(of: geometry, step: 1e-2, loss)
        #expect(maxRelativeError(result.renderingTextGradient.toArray(), dRendering) < 1e-3)
        #expect(maxRelativeError(result.geometryTextGradient!.toArray(), dGeometry) < 1e-3)
    }

    @Test func viewGroupingFollowsTheReferenceBugOnlyWhenAsked() throws {
        let batch = try (0..<4).map { try Self.example(seed: UInt64(50 + $0), views: 9, label: $0 % 2, geometry: false) }
        var objective = PromptObjective()
        #expect(try objective.viewGroups(batch)[1] == Array(9..<18))
        objective.replicatesViewGroupingBug = true
        // Dossier §6.3: with B = 4, object 0 averages rows 0, 4, 8, … = samples 0,0,0,1,1,2,2,3,3.
        let groups = try objective.viewGroups(batch)
        #expect(groups[0] == [0, 4, 8, 12, 16, 20, 24, 28, 32])
        #expect(groups[0].map { $0 / 9 } == [0, 0, 0, 1, 1, 2, 2, 3, 3])
    }

    /// The alignment's anomaly representations are the scoring module's.
    @Test func alignmentRepresentationsAreTheModelsOwn() throws {
        let text = Self.text(seed: 11), p: [Float] = [0.1, 0.5, 0.93]
        let mine = L2Normalization.forward(AlignmentPass.mix(p, text)).output
        let model = CrossHierarchyAlignment.representations(probabilities: p, prompts: try PromptFeatures(embeddings: text))
        #expect(maxAbsoluteError(mine.toArray(), model.toArray()) < 1e-6)
    }
}
