import TensorCore

/// One training object, everything frozen: the CLIP features of its rendered views (from the
/// feature cache), the point–pixel correspondence and the labels. Only the prompts that score
/// these features learn.
public struct TrainingExample: Sendable {
    /// [views, layers, patches, D]: each selected layer's projected patch tokens (class token
    /// excluded), rows L2-normalised, patches row-major over the `gridSide`² grid.
    public let patchTokens: Tensor
    /// [views, D]: the projected class tokens, L2-normalised.
    public let classTokens: Tensor
    public let gridSide: Int
    /// Side of the square image grid the anomaly maps and masks live on (336 in the reference).
    public let imageSize: Int
    /// Per view, the rendered ground truth ([imageSize²], 1 = anomalous pixel).
    public let pixelMasks: [[UInt8]]
    /// Each point's pixel per view (−1 where the view does not show it).
    public let backProjection: PointBackProjection
    /// Per point, 1 = anomalous.
    public let pointLabels: [UInt8]
    /// 1 = the object has a defect.
    public let objectLabel: Int
    /// PointAD+ only: the geometry layer's frozen inputs.
    public let geometry: GeometryExample?

    public init(patchTokens: Tensor, classTokens: Tensor, imageSize: Int, pixelMasks: [[UInt8]],
                backProjection: PointBackProjection, pointLabels: [UInt8], objectLabel: Int,
                geometry: GeometryExample? = nil) throws {
        guard patchTokens.rank == 4, classTokens.rank == 2, classTokens.shape[0] == patchTokens.shape[0],
              classTokens.shape[1] == patchTokens.shape[3]
        else {
            throw TensorError.shapeMismatch(operation: "training example features", shapes: [patchTokens.shape, classTokens.shape])
        }
        let views = patchTokens.shape[0], patches = patchTokens.shape[2]
        let side = Int(Double(patches).squareRoot().rounded())
        guard side * side == patches, imageSize > 0 else {
            throw TensorError.invalidArgument("\(patches) patch tokens are not a square grid (image size \(imageSize))")
        }
        guard pixelMasks.count == views, pixelMasks.allSatisfy({ $0.count == imageSize * imageSize }) else {
            throw TensorError.invalidArgument("\(pixelMasks.count) pixel masks for \(views) views of \(imageSize)² pixels")
        }
        guard backProjection.viewCount == views, backProjection.pixelsPerView == imageSize * imageSize,
              backProjection.pointCount == pointLabels.count
        else {
            throw TensorError.invalidArgument("correspondence of \(backProjection.viewCount) views × \(backProjection.pointCount) points vs \(views) views, \(pointLabels.count) point labels")
        }
        guard objectLabel == 0 || objectLabel == 1 else { throw TensorError.invalidArgument("object label \(objectLabel) is not 0 or 1") }
        if let geometry {
            guard geometry.features.shape.last == patchTokens.shape[3], geometry.points.allSatisfy({ $0 >= 0 && $0 < pointLabels.count }) else {
                throw TensorError.invalidArgument("geometry features \(geometry.features.shape) do not fit width \(patchTokens.shape[3]) and \(pointLabels.count) points")
            }
        }
        self.patchTokens = patchTokens
        self.classTokens = classTokens
        self.gridSide = side
        self.imageSize = imageSize
        self.pixelMasks = pixelMasks
        self.backProjection = backProjection
        self.pointLabels = pointLabels
        self.objectLabel = objectLabel
        self.geometry = geometry
    }

    public var viewCount: Int { patchTokens.shape[0] }
    public var layerCount: Int { patchTokens.shape[1] }
    public var width: Int { patchTokens.shape[3] }

    /// A view is anomalous when any pixel of its rendered ground truth is (the reference's
    /// `d2_render_anomaly`).
    public var viewLabels: [Int] { pixelMasks.map { $0.contains { $0 != 0 } ? 1 : 0 } }

    /// [layers, patches, D] of one view (no copy).
    func tokens(view: Int, layer: Int) throws -> Tensor {
        try patchTokens.row(view).row(layer)
    }
}

/// The geometry layer's frozen inputs for one object (PointAD+): the G-aggregated point features
/// of a fixed subset of points, normalised. Aggregation weights depend only on geometry and the
/// frozen features, so these never change during training.
public struct GeometryExample: Sendable {
    /// Indices of the points the geometry layer is trained on.
    public let points: [Int]
    /// [points.count, D], rows L2-normalised.
    public let features: Tensor

    public init(points: [Int], features: Tensor) throws {
        guard features.rank == 2, features.shape[0] == points.count else {
            throw TensorError.shapeMismatch(operation: "geometry example", shapes: [features.shape, [points.count]])
        }
        self.points = points
        self.features = features
    }
}
