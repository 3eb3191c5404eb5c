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
        let cloud = try PointCloudFile.read(input, options: loading)
        let views = try chooseViews(for: cloud)
        let labels = try readLabels(for: cloud)
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
            "framing": "\(settings.framing)", "visibility": "\(settings.visibility)",
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
        return orbit
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
