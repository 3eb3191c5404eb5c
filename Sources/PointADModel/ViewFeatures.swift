import PointADSupport
import TensorCore

/// One rendered view's frozen CLIP features, as the scoring layers consume them.
public struct ViewFeatures: Sendable {
    /// Patch tokens of each selected vision layer, each `[P, D]` with P = side², row-major over
    /// the patch grid (token i·side + j = row i, column j), rows L2-normalised, class token excluded.
    public let layers: [Tensor]
    /// The global (class-token) embedding `[D]`, L2-normalised.
    public let classEmbedding: Tensor
    /// The patch grid's side (24 for ViT-L/14 at 336 px).
    public let gridSide: Int

    public var width: Int { classEmbedding.count }

    public init(layers: [Tensor], classEmbedding: Tensor) throws {
        guard let first = layers.first else { throw UsageError("view features: no patch-token layer") }
        let patches = first.shape.first ?? 0
        let side = Int(Double(patches).squareRoot().rounded())
        guard first.rank == 2, side > 0, side * side == patches else {
            throw UsageError("view features: patch tokens of shape \(first.shape) are not a square grid of tokens")
        }
        for layer in layers where layer.shape != first.shape {
            throw UsageError("view features: layers have different shapes \(first.shape) and \(layer.shape)")
        }
        guard classEmbedding.count == first.shape[1] else {
            throw UsageError("view features: class embedding of width \(classEmbedding.count) vs patch tokens of width \(first.shape[1])")
        }
        self.layers = layers
        self.classEmbedding = classEmbedding
        self.gridSide = side
    }

    /// The patch tokens averaged over the selected layers, `[P, D]` (the layer itself when there is one).
    public func meanPatchTokens() throws -> Tensor {
        if layers.count == 1 { return layers[0] }
        let mean = layers[0].copy()
        for layer in layers.dropFirst() { try mean.add(layer) }
        mean.scale(by: 1 / Float(layers.count))
        return mean
    }
}
