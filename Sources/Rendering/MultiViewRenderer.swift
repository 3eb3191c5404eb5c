import Foundation
import Imaging
import PointADSupport
import PointClouds
import TensorCore

/// Renders a point cloud from every view of a view set, with each point's pixel and visibility.
///
/// Views run in parallel on `ComputeThreads.count` workers; each view needs two supersampled
/// buffers, so memory is O(points × views + workers × pixels).
public struct MultiViewRenderer: Sendable {
    public var settings: RenderSettings
    public var views: ViewSet
    /// Neighbours for PCA normals when the cloud has none; nil: the view set's search (its
    /// reference script's radius and neighbour count).
    public var normalNeighbours: Int?

    public init(settings: RenderSettings = RenderSettings(), views: ViewSet = .pointAD, normalNeighbours: Int? = nil) {
        self.settings = settings
        self.views = views
        self.normalNeighbours = normalNeighbours
    }

    /// The normals the renderer shades a cloud without normals with.
    public func estimatedNormals(_ positions: [SIMD3<Float>]) -> [SIMD3<Float>] {
        if let normalNeighbours { return NormalEstimation.estimate(positions, neighbours: normalNeighbours) }
        return NormalEstimation.estimate(positions, radius: views.raster.normalRadius, neighbours: views.raster.normalNeighbours)
    }

    /// The settings a view set actually renders with: Open3D framing takes the principal point of
    /// the set's window (1036 for Real3D-AD: a 1024 camera puts 0.3–0.4% of points a pixel off).
    public var effectiveSettings: RenderSettings {
        var s = settings
        if case let .open3D(fov, zoom, _) = s.framing {
            s.framing = .open3D(fieldOfView: fov, zoom: zoom, referenceWindow: window.side)
        }
        return s
    }

    /// The capture window's side and point size (the view set's unless the settings name others).
    var window: (side: Int, pointSize: Int) {
        if case let .window(side, pointSize) = settings.raster { return (side, pointSize) }
        return (views.raster.window, views.raster.pointSize)
    }

    /// Images, masks (when `labels` are given, one value in [0, 1] per point) and correspondence
    /// for every view. Normals are estimated when the cloud has none.
    public func render(_ cloud: PointCloud, labels: [Float]? = nil) throws -> [RenderedView] {
        try validate(cloud, labels: labels)
        let normals = try cloud.normals ?? estimatedNormals(CoordinateScale.rescaled(cloud.positions).positions)
        return run(cloud, normals: normals, labels: labels)
    }

    /// The correspondence alone (no images, no normals needed).
    public func project(_ cloud: PointCloud) throws -> [ViewProjection] {
        try validate(cloud, labels: nil)
        return run(cloud, normals: nil, labels: nil).map(\.projection)
    }

    private func run(_ cloud: PointCloud, normals: [SIMD3<Float>]?, labels: [Float]?) -> [RenderedView] {
        // Coordinates near float's limits (1e30, 3e38) are brought to unit size by an exact power
        // of two first; pixels and visibility do not depend on the cloud's scale.
        let positions = CoordinateScale.rescaled(cloud.positions).positions
        var sum = SIMD3<Double>.zero
        for p in positions { sum += SIMD3<Double>(p) }
        let mean = sum / Double(positions.count)
        var radiusSquared = 0.0
        for p in positions { radiusSquared = max(radiusSquared, ((SIMD3<Double>(p) - mean) * (SIMD3<Double>(p) - mean)).sum()) }
        let radius = radiusSquared.squareRoot()
        let pivot = views.preRotation.apply(mean)
        let settings = effectiveSettings, views = self.views, window = self.window, raster = views.raster
        let spacing = settings.coverGaps ? PointSpacing.typical(positions) : 0
        var results = [RenderedView?](repeating: nil, count: views.count)
        let lock = NSLockBox()
        Parallel.forEach(views.count) { k in
            let pass = ViewPass(positions: positions, mean: mean, pivot: pivot, radius: radius, rotation: views.matrix(k), settings: settings,
                                normals: normals, spacing: spacing)
            var image: Image?, mask: Image?, projection: ViewProjection
            if let shades = pass.shades, settings.raster != .supersampled {
                let splats = pass.drawWindow(values: shades, window: window.side, pointSize: window.pointSize)
                let grey = pass.windowPicture(splats, background: settings.shading.background)
                image = Image(width: settings.size, height: settings.size, channels: 3, pixels: Self.rgb(grey))
                projection = pass.projection()
            } else if let shades = pass.shades {
                let splats = pass.drawSplats(values: shades, radius: pass.splatRadius(settings.splatRadius))
                let grey = pass.picture(splats, background: settings.shading.background)
                image = Image(width: settings.size, height: settings.size, channels: 3, pixels: Self.rgb(grey))
                projection = pass.projection(splats: splats)
            } else {
                projection = pass.projection()
            }
            if let labels, settings.raster != .supersampled {
                let splats = pass.drawWindow(values: labels, window: raster.maskWindow, pointSize: raster.maskPointSize)
                mask = Image(width: settings.size, height: settings.size, channels: 1, pixels: pass.windowPicture(splats, background: 0))
            } else if let labels {
                let splats = pass.drawSplats(values: labels, radius: pass.splatRadius(settings.maskSplatRadius))
                mask = Image(width: settings.size, height: settings.size, channels: 1, pixels: pass.picture(splats, background: 0))
            }
            let view = RenderedView(rotation: pass.rotation, camera: pass.camera, image: image, mask: mask, projection: projection)
            lock.run { results[k] = view }
        }
        return results.map { $0! }
    }

    private static func rgb(_ grey: [Float]) -> [Float] {
        var out = [Float](repeating: 0, count: grey.count * 3)
        for i in 0..<grey.count {
            out[3 * i] = grey[i]
            out[3 * i + 1] = grey[i]
            out[3 * i + 2] = grey[i]
        }
        return out
    }

    /// Rejects what would make the camera or the arrays meaningless, naming the cloud and the problem.
    private func validate(_ cloud: PointCloud, labels: [Float]?) throws {
        let name = cloud.source ?? "point cloud"
        guard settings.size >= 1, settings.size <= 16384 else { throw FileError(name, "render size \(settings.size) is outside 1…16384") }
        let window = self.window
        guard (1...16384).contains(window.side), window.side >= settings.size, (1...64).contains(window.pointSize) else {
            throw FileError(name, "window \(window.side) with point size \(window.pointSize) cannot render \(settings.size)-pixel views")
        }
        guard (1...16).contains(settings.supersampling) else {
            throw FileError(name, "supersampling \(settings.supersampling) is outside 1…16")
        }
        guard !views.views.isEmpty else { throw FileError(name, "the view set '\(views.name)' has no views") }
        guard cloud.count > 0 else { throw FileError(name, "the cloud has no points to render") }
        guard cloud.count < Int(UInt32.max) else { throw FileError(name, "\(cloud.count) points is more than the renderer indexes") }
        if let i = cloud.positions.firstIndex(where: { !($0.x.isFinite && $0.y.isFinite && $0.z.isFinite) }) {
            let p = cloud.positions[i]
            throw FileError(name, "point \(i) has a non-finite coordinate (\(p.x), \(p.y), \(p.z))")
        }
        if let normals = cloud.normals, normals.count != cloud.count {
            throw FileError(name, "\(normals.count) normals for \(cloud.count) points")
        }
        if let labels {
            guard labels.count == cloud.count else { throw FileError(name, "\(labels.count) labels for \(cloud.count) points") }
            if let i = labels.firstIndex(where: { !$0.isFinite }) { throw FileError(name, "label \(i) is not finite") }
        }
    }
}

/// Serialises writes of finished views into the shared result array.
private final class NSLockBox: @unchecked Sendable {
    private let lock = NSLock()
    func run(_ body: () -> Void) {
        lock.lock()
        body()
        lock.unlock()
    }
}
