import Foundation
import Imaging
import PointADSupport
import PointClouds

/// `pointad render`: one cloud file to a folder of views — `view_K.png`, `view_K_mask.png` when
/// the cloud has labels, and the correspondence table (written by the caller's `writeTable`, so
/// this module needs no tensor-file code).
public struct RenderJob {
    public var input: URL
    public var output: URL
    public var settings = RenderSettings()
    /// A preset name (`ViewSet.presets`); nil picks `mvtec` for organised scans, else `pointad`.
    public var viewSetName: String?
    /// With a count other than the chosen set's, that many views evenly spaced about y instead.
    public var viewCount: Int?
    /// A ground-truth PNG for an organised scan (MVTec 3D-AD gt); otherwise labels come from the
    /// cloud's own "label" field, if any.
    public var labelMask: URL?
    /// Also write `views.png`: every view tiled three per row, shrunk by this factor (nil: none).
    public var montageShrink: Int?
    /// Real3D-AD resampling of an unorganised cloud; nil: `reference` under the real3d view set.
    public var resample: ResampleMode?
    /// A point size in the view set's window other than its own (MVTec's per-class sizes).
    public var pointSize: Int?
    /// How the file becomes a cloud (text/.npy columns, points sampled on meshes).
    public var loading = CloudLoadOptions()

    public struct Summary: Sendable {
        public var points: Int
        public var viewSet: String
        public var visible: [Int]
        public var files: [String]
    }

    public init(input: URL, output: URL) {
        self.input = input
        self.output = output
    }

    public func run(writeTable: (CorrespondenceTable, URL) throws -> Void) throws -> Summary {
        let file = try PointCloudFile.read(input, options: loading)
        let views = try chooseViews(for: file)
        var (cloud, labels) = try scoredPoints(file, labels: readLabels(for: file))
        var settings = self.settings
        if let pointSize {
            guard (1...64).contains(pointSize) else { throw UsageError("--point-size must be 1…64, got \(pointSize)") }
            settings.raster = .window(side: views.raster.window, pointSize: pointSize)
        }
        let mode = ResampleMode.resolved(resample, views: views, organised: cloud.grid != nil)
        if mode == .reference {
            let result = try Real3DResampling().resample(cloud.positions, labels: labels)
            cloud = PointCloud(positions: result.positions, source: cloud.source)
            labels = result.labels
        }
        let rendered = try MultiViewRenderer(settings: settings, views: views).render(cloud, labels: labels)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        var files: [String] = []
        for (k, view) in rendered.enumerated() {
            if let image = view.image {
                try PNGFile.write(image, to: output.appendingPathComponent("view_\(k).png"))
                files.append("view_\(k).png")
            }
            if let mask = view.mask {
                try PNGFile.write(mask, to: output.appendingPathComponent("view_\(k)_mask.png"))
                files.append("view_\(k)_mask.png")
            }
        }
        if let shrink = montageShrink,
           let montage = ViewMontage.tile(rendered.compactMap(\.image), columns: 3, shrink: shrink) {
            try PNGFile.write(montage, to: output.appendingPathComponent("views.png"))
            files.append("views.png")
        }
        let metadata = [
            "source": input.lastPathComponent, "view_set": views.name,
            "views": views.views.map(\.description).joined(separator: " "),
            "framing": "\(settings.framing)", "visibility": "\(settings.visibility)", "raster": "\(settings.raster)",
            "resample": mode.rawValue, "points": "\(cloud.count)",
            "order": cloud.grid != nil ? "valid cells of the \(settings.size)² nearest-resized grid, row-major"
                : mode == .reference ? "the input's points, then the added ones" : "the input's points",
        ]
        let table = CorrespondenceTable(projections: rendered.map(\.projection), metadata: metadata)
        try writeTable(table, output.appendingPathComponent("correspondence.safetensors"))
        files.append("correspondence.safetensors")
        return Summary(points: cloud.count, viewSet: views.name, visible: rendered.map(\.projection.visibleCount), files: files)
    }

    func chooseViews(for cloud: PointCloud) throws -> ViewSet {
        let name = viewSetName ?? (cloud.grid != nil ? "mvtec" : "pointad")
        guard let preset = ViewSet.presets[name] else {
            throw UsageError("unknown view set '\(name)' (known: \(ViewSet.presets.keys.sorted().joined(separator: ", ")))")
        }
        guard let count = viewCount, count != preset.count else { return preset }
        guard (1...360).contains(count) else { throw UsageError("--views must be 1…360, got \(count)") }
        var orbit = ViewSet.orbit(count: count, axis: .y)
        orbit.preRotation = preset.preRotation
        orbit.raster = preset.raster
        return orbit
    }

    /// The points the scorer renders: an organised scan's grid resized to the view size (nearest,
    /// as `interpolate(mode='nearest')`), its valid cells row-major, so that the correspondence's
    /// point indices are the scorer's; labels follow the pixel each cell copies.
    func scoredPoints(_ cloud: PointCloud, labels: [Float]?) throws -> (PointCloud, [Float]?) {
        guard let grid = cloud.grid, grid.width != settings.size || grid.height != settings.size else { return (cloud, labels) }
        let image = try XYZImage(organizing: cloud)
        let resized = image.resizedNearest(width: settings.size, height: settings.size).pointCloud(source: cloud.source)
        guard resized.count > 0, let resizedGrid = resized.grid else {
            throw FileError(input.path, "no valid point is left after resizing the scan to \(settings.size)×\(settings.size)")
        }
        guard let labels else { return (resized, nil) }
        var byPixel = [Float](repeating: 0, count: grid.width * grid.height)
        for (i, pixel) in grid.pixelIndices.enumerated() { byPixel[pixel] = labels[i] }
        let xs = XYZImage.nearestSources(input: grid.width, output: settings.size)
        let ys = XYZImage.nearestSources(input: grid.height, output: settings.size)
        let resizedLabels = resizedGrid.pixelIndices.map { byPixel[ys[$0 / settings.size] * grid.width + xs[$0 % settings.size]] }
        return (resized, resizedLabels)
    }

    func readLabels(for cloud: PointCloud) throws -> [Float]? {
        guard let labelMask else { return cloud.scalars["label"] }
        let mask = try MaskFile.read(labelMask)
        guard let grid = cloud.grid else {
            throw FileError(labelMask.path, "a mask image needs an organised scan (TIFF); \(input.lastPathComponent) has no grid")
        }
        guard grid.width == mask.width, grid.height == mask.height else {
            throw FileError(labelMask.path, "mask is \(mask.width)x\(mask.height), the scan \(grid.width)x\(grid.height)")
        }
        return grid.pixelIndices.map { mask.pixels[$0] ? 1 : 0 }
    }
}
