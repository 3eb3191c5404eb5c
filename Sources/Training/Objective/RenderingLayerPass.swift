import TensorCore

/// The rendering layer of one batch, forward with what its backward needs (dossier §4.5, §3.3):
/// per view and layer p = softmax(F·Tᵀ/τ) on the patch grid, the mean over layers, bilinear
/// upsampling to the image grid (mean first: upsampling is linear), then back-projection to points;
/// and the class-token logits g·Tᵀ/τ of every view.
struct RenderingLayerPass {
    let batch: [TrainingExample]
    let temperature: Float
    let upsampling: BilinearUpsampling
    /// Per example, per view, per layer: [patches, 2] probabilities.
    let patchProbabilities: [[[Tensor]]]
    /// Per example: [views, imageSize², 2] anomaly maps (channel 0 normal, 1 abnormal).
    let maps: [Tensor]
    /// Per example: [points, 2] back-projected probabilities.
    let pointProbabilities: [Tensor]
    /// [all views of the batch, D] class tokens and [all views, 2] their logits.
    let classTokens: Tensor
    let globalLogits: Tensor

    init(batch: [TrainingExample], text: Tensor, temperature: Float) throws {
        guard let first = batch.first else { throw TensorError.invalidArgument("empty batch") }
        for e in batch where e.gridSide != first.gridSide || e.imageSize != first.imageSize || e.width != text.shape[1] {
            throw TensorError.invalidArgument("batch mixes grids \(e.gridSide)/\(first.gridSide), image sizes \(e.imageSize)/\(first.imageSize) or widths \(e.width)/\(text.shape[1])")
        }
        self.batch = batch
        self.temperature = temperature
        let side = first.gridSide, image = first.imageSize
        upsampling = BilinearUpsampling(from: (side, side), to: (image, image))
        var probabilities: [[[Tensor]]] = [], maps: [Tensor] = [], points: [Tensor] = []
        for e in batch {
            let m = Tensor(zeros: [e.viewCount, image * image, 2])
            var perView: [[Tensor]] = []
            for v in 0..<e.viewCount {
                let mean = Tensor(zeros: [side, side, 2])
                var perLayer: [Tensor] = []
                for l in 0..<e.layerCount {
                    let p = RowSoftmax.forward(try TextSimilarity.logits(features: try e.tokens(view: v, layer: l), text: text, temperature: temperature))
                    try mean.add(p, scaledBy: 1 / Float(e.layerCount))
                    perLayer.append(p)
                }
                perView.append(perLayer)
                let up = try upsampling.forward(mean)
                (m.pointer + v * image * image * 2).update(from: up.pointer, count: up.count)
            }
            probabilities.append(perView)
            maps.append(m)
            points.append(try e.backProjection.forward(m))
        }
        patchProbabilities = probabilities
        self.maps = maps
        pointProbabilities = points
        let d = first.width, views = batch.reduce(0) { $0 + $1.viewCount }
        classTokens = Tensor(zeros: [views, d])
        var row = 0
        for e in batch {
            (classTokens.pointer + row * d).update(from: e.classTokens.pointer, count: e.viewCount * d)
            row += e.viewCount
        }
        globalLogits = try TextSimilarity.logits(features: classTokens, text: text, temperature: temperature)
    }

    /// ∂L/∂T for the gradients of the maps (per example [views, imageSize², 2]), of the points (per
    /// example [points, 2], may be nil) and of the global logits ([all views, 2]).
    func textGradient(mapGradients: [Tensor], pointGradients: [Tensor?], globalLogitGradient: Tensor, width: Int) throws -> Tensor {
        let dText = Tensor(zeros: [2, width])
        try TextSimilarity.accumulateTextGradient(globalLogitGradient, features: classTokens, temperature: temperature, into: dText)
        let image = batch[0].imageSize
        for (i, e) in batch.enumerated() {
            let dMaps = mapGradients[i]
            if let dPoints = pointGradients[i] { try dMaps.add(try e.backProjection.backward(dPoints, channels: 2)) }
            for v in 0..<e.viewCount {
                let dView = try dMaps.row(v).reshaped([image, image, 2])
                let dMean = try upsampling.backward(dView)
                dMean.scale(by: 1 / Float(e.layerCount))
                for l in 0..<e.layerCount {
                    let dLogits = try RowSoftmax.backward(dMean, probabilities: patchProbabilities[i][v][l])
                    try TextSimilarity.accumulateTextGradient(dLogits, features: try e.tokens(view: v, layer: l),
                                                              temperature: temperature, into: dText)
                }
            }
        }
        return dText
    }
}
