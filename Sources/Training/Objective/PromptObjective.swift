import PointADModel
import TensorCore

/// The training loss of a batch and its gradient with respect to the normalised prompt embeddings
/// (dossier §6.2, plus PointAD+'s geometry layer and alignment when geometry prompts are given):
///
/// - pixel: focal(S, mask) + dice(S₁, mask) + dice(S₀, 1 − mask) over every rendered view;
/// - point: dice(M₁, labels) + dice(M₀, 1 − labels) on the back-projected maps, mean over objects;
/// - object: cross-entropy of the view-averaged class-token logits against the object label;
/// - view: cross-entropy of each view's class-token logits against its rendered-mask label;
/// - geometry (PointAD+): dice on both channels of the geometry layer's point probabilities;
/// - alignment (PointAD+): InfoNCE between the two layers' anomaly representations.
public struct PromptObjective: Sendable {
    public var weights = LossWeights()
    public var temperature: Float = 0.07
    /// The reference groups views wrongly for the object loss when batch > 1 (dossier §6.3);
    /// true reproduces that, for parity with its checkpoints.
    public var replicatesViewGroupingBug = false
    /// τ of the alignment InfoNCE and anchors per object.
    public var alignmentTemperature: Float = 0.1
    public var alignmentAnchors = 256

    public init() {}

    public struct Result: Sendable {
        public let terms: LossTerms
        /// ∂L/∂(normalised rendering prompt embeddings), [2, D].
        public let renderingTextGradient: Tensor
        /// ∂L/∂(normalised geometry prompt embeddings), when geometry prompts were given.
        public let geometryTextGradient: Tensor?
    }

    /// `renderingText` and `geometryText` are [2, D] rows L2-normalised (normal, abnormal).
    /// `anchorSeed` draws the alignment anchors (fixed per step for reproducible runs).
    public func evaluate(batch: [TrainingExample], renderingText: Tensor, geometryText: Tensor? = nil,
                         anchorSeed: UInt64 = 0) throws -> Result {
        let pass = try RenderingLayerPass(batch: batch, text: renderingText, temperature: temperature)
        let d = renderingText.shape[1]
        var terms = LossTerms()

        // Pixel losses over every view of the batch, each view a dice sample.
        let pixels = batch[0].imageSize * batch[0].imageSize
        let totalViews = batch.reduce(0) { $0 + $1.viewCount }
        let allMaps = Tensor(zeros: [totalViews, pixels, 2])
        var masks: [UInt8] = []
        masks.reserveCapacity(totalViews * pixels)
        var offset = 0
        for (i, e) in batch.enumerated() {
            (allMaps.pointer + offset).update(from: pass.maps[i].pointer, count: pass.maps[i].count)
            offset += pass.maps[i].count
            for m in e.pixelMasks { masks += m }
        }
        let focal = try FocalLoss.evaluate(probabilities: allMaps, targets: masks)
        let diceAbnormal = try DiceLoss.evaluate(values: allMaps, channel: 1, channels: 2, samples: totalViews, targets: masks)
        let diceNormal = try DiceLoss.evaluate(values: allMaps, channel: 0, channels: 2, samples: totalViews, targets: masks, complement: true)
        terms.pixelFocal = focal.value
        terms.pixelDice = diceAbnormal.value + diceNormal.value
        let dAllMaps = Tensor(zeros: allMaps.shape)
        try dAllMaps.add(focal.gradient, scaledBy: weights.pixelFocal)
        try dAllMaps.add(diceAbnormal.gradient, scaledBy: weights.pixelDice)
        try dAllMaps.add(diceNormal.gradient, scaledBy: weights.pixelDice)
        var mapGradients: [Tensor] = []
        offset = 0
        for m in pass.maps {
            let g = Tensor(zeros: m.shape)
            g.pointer.update(from: dAllMaps.pointer + offset, count: m.count)
            offset += m.count
            mapGradients.append(g)
        }

        // Point dice per object, averaged over the batch.
        let objects = Float(batch.count)
        var pointGradients: [Tensor?] = []
        for (i, e) in batch.enumerated() {
            let probs = pass.pointProbabilities[i]
            let a = try DiceLoss.evaluate(values: probs, channel: 1, channels: 2, samples: 1, targets: e.pointLabels)
            let n = try DiceLoss.evaluate(values: probs, channel: 0, channels: 2, samples: 1, targets: e.pointLabels, complement: true)
            terms.pointDice += (a.value + n.value) / Double(objects)
            let g = a.gradient
            try g.add(n.gradient)
            g.scale(by: weights.pointDice / objects)
            pointGradients.append(g)
        }

        // Class-token losses.
        let viewLabels = batch.flatMap(\.viewLabels)
        let viewCE = try CrossEntropyLoss.evaluate(logits: pass.globalLogits, labels: viewLabels)
        terms.viewCrossEntropy = viewCE.value
        let dGlobal = viewCE.gradient
        dGlobal.scale(by: weights.viewCrossEntropy)
        let groups = try viewGroups(batch)
        let objectLogits = Tensor(zeros: [batch.count, 2])
        for (j, rows) in groups.enumerated() {
            for r in rows { for c in 0..<2 { objectLogits[j, c] += pass.globalLogits[r, c] / Float(rows.count) } }
        }
        let objectCE = try CrossEntropyLoss.evaluate(logits: objectLogits, labels: batch.map(\.objectLabel))
        terms.objectCrossEntropy = objectCE.value
        for (j, rows) in groups.enumerated() {
            for r in rows { for c in 0..<2 { dGlobal[r, c] += weights.objectCrossEntropy * objectCE.gradient[j, c] / Float(rows.count) } }
        }

        // PointAD+: geometry layer and alignment.
        var geometryGradient: Tensor?
        if let geometryText {
            let (geo, alignmentTextGradient) = try geometryTerms(batch: batch, pass: pass, renderingText: renderingText,
                                                                  geometryText: geometryText, anchorSeed: anchorSeed,
                                                                  pointGradients: &pointGradients, terms: &terms)
            geometryGradient = geo
            let rendering = try pass.textGradient(mapGradients: mapGradients, pointGradients: pointGradients, globalLogitGradient: dGlobal, width: d)
            try rendering.add(alignmentTextGradient)
            terms.total = total(terms)
            return Result(terms: terms, renderingTextGradient: rendering, geometryTextGradient: geometryGradient)
        }
        let rendering = try pass.textGradient(mapGradients: mapGradients, pointGradients: pointGradients, globalLogitGradient: dGlobal, width: d)
        terms.total = total(terms)
        return Result(terms: terms, renderingTextGradient: rendering, geometryTextGradient: nil)
    }

    func total(_ t: LossTerms) -> Double {
        Double(weights.pixelFocal) * t.pixelFocal + Double(weights.pixelDice) * t.pixelDice
            + Double(weights.pointDice) * t.pointDice + Double(weights.objectCrossEntropy) * t.objectCrossEntropy
            + Double(weights.viewCrossEntropy) * t.viewCrossEntropy + Double(weights.geometryDice) * t.geometryDice
            + Double(weights.alignment) * t.alignment
    }

    /// Rows of the batch's view list that make up each object's view average. Correctly, object j
    /// owns its own views; the reference's `stack(chunk(probs, 9), 1).mean(1)` instead takes rows
    /// j, j + B, j + 2B, … (needs every object to have the same number of views).
    func viewGroups(_ batch: [TrainingExample]) throws -> [[Int]] {
        if replicatesViewGroupingBug {
            let v = batch[0].viewCount, b = batch.count
            guard batch.allSatisfy({ $0.viewCount == v }) else {
                throw TensorError.invalidArgument("the reference's view grouping needs equal view counts, got \(batch.map(\.viewCount))")
            }
            return (0..<b).map { j in (0..<v).map { c in c * b + j } }
        }
        var groups: [[Int]] = [], start = 0
        for e in batch { groups.append(Array(start..<(start + e.viewCount))); start += e.viewCount }
        return groups
    }

    /// Geometry-layer dice and alignment; adds the alignment's point gradients to `pointGradients`
    /// and returns ∂L/∂T_g and the alignment's ∂L/∂T_r.
    func geometryTerms(batch: [TrainingExample], pass: RenderingLayerPass, renderingText: Tensor, geometryText: Tensor,
                       anchorSeed: UInt64, pointGradients: inout [Tensor?], terms: inout LossTerms) throws -> (Tensor, Tensor) {
        let d = geometryText.shape[1], objects = Float(batch.count)
        let dGeometryText = Tensor(zeros: [2, d]), dRenderingText = Tensor(zeros: [2, d])
        for (i, e) in batch.enumerated() {
            guard let geo = e.geometry else { throw TensorError.invalidArgument("PointAD+ training needs geometry features for every object") }
            let logits = try TextSimilarity.logits(features: geo.features, text: geometryText, temperature: temperature)
            let probs = RowSoftmax.forward(logits)
            let labels = geo.points.map { e.pointLabels[$0] }
            let a = try DiceLoss.evaluate(values: probs, channel: 1, channels: 2, samples: 1, targets: labels)
            let n = try DiceLoss.evaluate(values: probs, channel: 0, channels: 2, samples: 1, targets: labels, complement: true)
            terms.geometryDice += (a.value + n.value) / Double(objects)
            let dProbs = a.gradient
            try dProbs.add(n.gradient)
            dProbs.scale(by: weights.geometryDice / objects)

            // Alignment on anchors drawn from the geometry points.
            let anchors = CrossHierarchyAlignment(anchors: max(alignmentAnchors, 2))
                .sampleAnchors(pointCount: geo.points.count, seed: anchorSeed &+ UInt64(i))
            if anchors.count >= 2 && weights.alignment != 0 {
                let rendering = pass.pointProbabilities[i]
                let pr = anchors.map { rendering[geo.points[$0], 1] }
                let pg = anchors.map { probs[$0, 1] }
                let align = try AlignmentPass(renderingProbabilities: pr, geometryProbabilities: pg, renderingText: renderingText,
                                              geometryText: geometryText, temperature: alignmentTemperature)
                terms.alignment += align.loss / Double(objects)
                let w = weights.alignment / objects
                let dPoints = pointGradients[i] ?? Tensor(zeros: rendering.shape)
                for (k, anchor) in anchors.enumerated() {
                    dPoints[geo.points[anchor], 1] += w * align.renderingProbabilityGradient[k]
                    dProbs[anchor, 1] += w * align.geometryProbabilityGradient[k]
                }
                pointGradients[i] = dPoints
                try dRenderingText.add(align.renderingTextGradient, scaledBy: w)
                try dGeometryText.add(align.geometryTextGradient, scaledBy: w)
            }
            let dLogits = try RowSoftmax.backward(dProbs, probabilities: probs)
            try TextSimilarity.accumulateTextGradient(dLogits, features: geo.features, temperature: temperature, into: dGeometryText)
        }
        return (dGeometryText, dRenderingText)
    }
}
