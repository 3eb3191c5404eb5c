import Imaging
import PointADModel
import PointADSupport
import PointClouds
import Rendering
import TensorCore

/// Turns a labelled point cloud into a `TrainingExample`: renders its views (with the label masks
/// drawn the same way), runs the frozen vision tower once per view, and keeps each point's pixels.
/// This is the expensive part of training; the feature cache stores its result.
public struct TrainingExampleBuilder: Sendable {
    public let render: RenderSettings
    /// The view set; nil follows `Detector`: MVTec's views for organised scans, PointAD's otherwise.
    public let views: ViewSet?
    public let normalNeighbours: Int?
    public let encoder: ViewEncoder
    /// PointAD+: also prepare the geometry layer's inputs.
    public let geometry: GeometryTrainingSettings?
    /// The point size the views are drawn with in the view set's window (the authors' per-class
    /// MVTec 3D-AD sizes, `ClassPointSize`); nil: the view set's own.
    public var pointSize: Int? = nil

    public init(render: RenderSettings, views: ViewSet?, normalNeighbours: Int? = nil, encoder: ViewEncoder,
                geometry: GeometryTrainingSettings? = nil) throws {
        guard render.size == encoder.imageSize else {
            throw UsageError("renders of \(render.size) px for a vision tower of \(encoder.imageSize) px input")
        }
        self.render = render
        self.views = views
        self.normalNeighbours = normalNeighbours
        self.encoder = encoder
        self.geometry = geometry
    }

    /// Resize, normals and view choice, shared with `Detector`.
    public var preparation: CloudPreparation {
        CloudPreparation(size: render.size, normalNeighbours: normalNeighbours, views: views, pointSize: pointSize)
    }

    /// The views a cloud is rendered from (what `Detector` picks for it when not told).
    public func viewSet(for cloud: PointCloud) -> ViewSet { preparation.viewSet(for: cloud) }

    /// One object, prepared exactly as `Detector.score` prepares a cloud: an organised scan larger
    /// than the render size is first resized (nearest) to it, as the reference does, its labels
    /// following the same pixels; normals by PCA; the views rendered, with the ground truth drawn
    /// as label masks the same way; the vision tower run once per view.
    ///
    /// `pointLabels` (1 = anomalous) per point of `cloud`; `objectLabel` 1 when defective. Points no
    /// view shows carry no gradient and are left out (the reference lends them a neighbour's
    /// visibility, which matters for scores, not for the losses). A pixel of a mask is anomalous
    /// when its rendered label exceeds 0.5, as the reference thresholds its rendered ground truth.
    public func example(cloud: PointCloud, pointLabels: [UInt8], objectLabel: Int) throws -> TrainingExample {
        let name = cloud.source ?? "point cloud"
        guard pointLabels.count == cloud.count, cloud.count > 0 else {
            throw FileError(name, "\(pointLabels.count) labels for \(cloud.count) points")
        }
        let (working, prepared) = try preparation.prepare(cloud, labels: pointLabels)
        guard let labels = prepared else { throw FileError(name, "labels were lost in preparation") }
        let renderer = MultiViewRenderer(settings: render, views: viewSet(for: cloud), normalNeighbours: normalNeighbours)
        let views = try renderer.render(working, labels: labels.map { $0 != 0 ? 1 : 0 })
        let images = try views.map { v -> Image in
            guard let image = v.image else { throw UsageError("the renderer returned a view without an image") }
            return image
        }
        let features = try encoder.encode(images)
        let size = render.size
        let masks = views.map { v -> [UInt8] in
            guard let mask = v.mask else { return [UInt8](repeating: 0, count: size * size) }
            return mask.pixels.map { $0 > 0.5 ? 1 : 0 }
        }
        var seen = [Bool](repeating: false, count: working.count)
        for v in views { for j in 0..<working.count where v.projection.visible[j] { seen[j] = true } }
        let kept = (0..<working.count).filter { seen[$0] }
        guard !kept.isEmpty else { throw FileError(name, "no point is visible in any view") }
        let pixels = views.map { v in kept.map { v.projection.visible[$0] ? v.projection.pixels[$0] : -1 } }
        let geometryExample = try geometry.map { g in
            try geometryInputs(g, cloud: working, features: features, projections: views.map(\.projection), kept: kept)
        }
        return try TrainingExample(patchTokens: Self.stackPatchTokens(features), classTokens: Self.stackClassTokens(features),
                                   imageSize: size, pixelMasks: masks,
                                   backProjection: PointBackProjection(pixels: pixels, pixelsPerView: size * size),
                                   pointLabels: kept.map { labels[$0] != 0 ? 1 : 0 }, objectLabel: objectLabel,
                                   geometry: geometryExample)
    }

    /// The geometry layer's frozen inputs, computed with the scoring code (`PatchMixture`,
    /// `GeometryAggregation`, `GeometryLayer.aggregatedFeatures`), on `settings.points` of the
    /// seen points spread evenly over the point order. Indices refer to the example's (seen) points.
    func geometryInputs(_ settings: GeometryTrainingSettings, cloud: PointCloud, features: [ViewFeatures],
                        projections: [ViewProjection], kept: [Int]) throws -> GeometryExample {
        let tokens = try PatchMixture.stack(features)
        let mixture = PatchMixture(upsampler: BilinearUpsampler(source: features[0].gridSide, target: render.size), projections: projections)
        let neighbourhoods = try PointNeighbourhoods.nearest(cloud.positions, k: settings.aggregation.neighbours)
        let weights = settings.aggregation.weights(positions: cloud.positions, normals: cloud.normals, neighbourhoods: neighbourhoods)
        let count = min(settings.points, kept.count)
        let chosen = (0..<count).map { $0 * kept.count / count }
        let z = try GeometryLayer.aggregatedFeatures(points: chosen.map { kept[$0] }, tokens: tokens, mixture: mixture,
                                                     weights: weights, neighbourhoods: neighbourhoods)
        z.l2NormalizeRows()
        return try GeometryExample(points: chosen, features: z)
    }

    /// An organised scan whose grid differs from the render size, resized as `Detector` does it;
    /// each new point takes the label of the pixel it was copied from (found by resizing an image
    /// of point numbers the same way). Other clouds are returned as they are.
    /// [views, layers, patches, D] from each view's per-layer [patches, D] tokens.
    static func stackPatchTokens(_ views: [ViewFeatures]) throws -> Tensor {
        let first = views[0].layers[0], layers = views[0].layers.count
        let out = Tensor(zeros: [views.count, layers] + first.shape)
        var offset = 0
        for v in views {
            for l in v.layers {
                guard l.shape == first.shape else { throw UsageError("views disagree on patch-token shapes \(l.shape) and \(first.shape)") }
                (out.pointer + offset).update(from: l.pointer, count: l.count)
                offset += l.count
            }
        }
        return out
    }

    static func stackClassTokens(_ views: [ViewFeatures]) throws -> Tensor {
        let d = views[0].classEmbedding.count
        let out = Tensor(zeros: [views.count, d])
        for (k, v) in views.enumerated() { (out.pointer + k * d).update(from: v.classEmbedding.pointer, count: d) }
        return out
    }
}

/// How PointAD+'s geometry layer is trained: the G-aggregation (as scoring will use it) and how
/// many points per object its losses see.
public struct GeometryTrainingSettings: Sendable, Equatable, Codable {
    public var aggregation = GeometryAggregation()
    /// Points per object whose aggregated features are cached (spread evenly over the seen points).
    public var points = 2048

    public init(aggregation: GeometryAggregation = GeometryAggregation(), points: Int = 2048) {
        self.aggregation = aggregation
        self.points = points
    }

    public func validate() throws {
        try aggregation.validate()
        guard points >= 2 else { throw UsageError("geometry points per object must be ≥ 2, got \(points)") }
    }
}
