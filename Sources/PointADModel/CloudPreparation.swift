import PointADSupport
import PointClouds
import Rendering
import TensorCore

/// How a cloud is made ready for the views, shared by `Detector` (scoring) and training so that
/// prompts are trained on exactly what is scored: an organised scan whose grid differs from the
/// render size is resized (nearest) to it, as the reference does; missing normals are estimated by
/// PCA with the view set's neighbour search; coordinates near float32's limits are scaled by a power of
/// two (`CoordinateScale`); the view set is the given one, else MVTec's for organised
/// scans and PointAD's otherwise.
public struct CloudPreparation: Sendable {
    public let size: Int
    /// PCA neighbours for missing normals; nil: the view set's own search (`ReferenceRaster`).
    public let normalNeighbours: Int?
    public let views: ViewSet?
    /// Real3D-AD resampling of unorganised clouds; nil: `reference` with the Real3D view set.
    public let resample: ResampleMode?
    /// The point size the views are drawn with in the view set's window; nil: the view set's.
    public let pointSize: Int?

    public init(size: Int, normalNeighbours: Int?, views: ViewSet?, resample: ResampleMode? = nil, pointSize: Int? = nil) {
        self.resample = resample
        self.pointSize = pointSize
        self.size = size
        self.normalNeighbours = normalNeighbours
        self.views = views
    }

    /// The views a cloud is rendered from.
    public func viewSet(for cloud: PointCloud) -> ViewSet {
        (views ?? (cloud.grid != nil ? .mvtec : .pointAD)).withPointSize(pointSize)
    }

    /// Whether `cloud` is an organised scan that gets resized.
    public func resamples(_ cloud: PointCloud) -> Bool {
        cloud.grid.map { $0.width != size || $0.height != size } ?? false
    }

    /// `labels` of an organised scan's points carried to the points of its resize (each resized
    /// point takes the label of the input pixel it was copied from); unchanged when not resized.
    public func carriedLabels(_ labels: [UInt8], of cloud: PointCloud, resizedCount: Int? = nil) throws -> [UInt8] {
        guard resamples(cloud) else { return labels }
        // Resize the point numbers the same way as the points to learn which input point each one copies.
        var numbered = cloud
        numbered.positions = (0..<cloud.count).map { SIMD3(Float($0 + 1), 1, 1) }
        let sources = try XYZImage(organizing: numbered).resizedNearest(width: size, height: size).pointCloud().positions.map { Int($0.x) - 1 }
        guard resizedCount.map({ sources.count == $0 }) ?? true else {
            throw FileError(cloud.source ?? "point cloud", "resized labels do not line up with the resized points")
        }
        return sources.map { labels[$0] }
    }

    /// The cloud to render, and the per-point `labels` carried over to its points (each resized
    /// point takes the label of the input pixel it was copied from).
    public func prepare(_ cloud: PointCloud, labels: [UInt8]? = nil) throws -> (cloud: PointCloud, labels: [UInt8]?) {
        let result = try prepared(cloud, labels: labels)
        return (result.cloud, result.labels)
    }

    /// What `prepare` makes, and for each input point the prepared point that stands for it (nil:
    /// the same index, or the organised resize's own mapping).
    public struct Prepared {
        public var cloud: PointCloud
        public var labels: [UInt8]?
        public var inputSample: [Int]?
        /// Real3D-AD resampling: for each prepared point, the input point whose label it carries
        /// (`Real3DResampling.Result.labelSources`); nil when the points were not resampled.
        public var labelSources: [Int]?
    }

    /// Whether `cloud` is resampled to Real3D-AD's point count.
    public func resamplesPoints(_ cloud: PointCloud) -> Bool {
        ResampleMode.resolved(resample, views: viewSet(for: cloud), organised: cloud.grid != nil) == .reference
    }

    public func prepared(_ cloud: PointCloud, labels: [UInt8]? = nil) throws -> Prepared {
        var working = cloud, workingLabels = labels, inputSample: [Int]?, labelSources: [Int]?
        if resamplesPoints(cloud) {
            // The reference re-estimates normals on the resampled points; the given ones do not carry over.
            let result = try Real3DResampling().resample(cloud.positions, labels: labels.map { $0.map(Float.init) })
            working = PointCloud(positions: result.positions, source: cloud.source)
            workingLabels = result.labels.map { $0.map { UInt8($0) } }
            inputSample = result.inputSample
            labelSources = result.labelSources
        }
        if resamples(cloud) {
            working = try XYZImage(organizing: cloud).resizedNearest(width: size, height: size).pointCloud(source: cloud.source)
            guard !working.positions.isEmpty else {
                throw FileError(cloud.source ?? "point cloud", "no valid point is left after resizing the scan to \(size)×\(size)")
            }
            if let labels { workingLabels = try carriedLabels(labels, of: cloud, resizedCount: working.count) }
        }
        // Coordinates near float's limits: scaled by an exact power of two before any distance is
        // squared (a no-op for ordinary clouds).
        working.positions = CoordinateScale.rescaled(working.positions).positions
        if working.normals == nil {
            let renderer = MultiViewRenderer(views: viewSet(for: cloud), normalNeighbours: normalNeighbours)
            working.normals = renderer.estimatedNormals(working.positions)
        }
        return Prepared(cloud: working, labels: workingLabels, inputSample: inputSample, labelSources: labelSources)
    }
}
