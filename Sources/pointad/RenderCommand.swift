import ArgumentParser
import CLIP
import Foundation
import PointClouds
import Rendering

extension ResampleMode: ExpressibleByArgument {}

/// `pointad render`: the nine views PointAD feeds to CLIP, their label masks and the point–pixel
/// correspondence, for looking at and for other tools.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a point cloud from PointAD's views: view_K.png, view_K_mask.png, correspondence.safetensors.",
        discussion: """
            correspondence.safetensors holds one int32 tensor `correspondence` [views, points, 3] of \
            (column u, row v, visible 0/1) on the --size grid, the reference's view_K_cor.npy files stacked; \
            its metadata records the grid size, view set and settings.
            """)

    @Argument(help: ArgumentHelp("Point cloud or mesh: \(PointCloudFile.Format.listing).", valueName: "file"))
    var file: String
    @Option(help: "Output folder.")
    var out: String
    @Option(help: "Number of views (default: the view set's; another count spaces views evenly about y).")
    var views: Int?
    @Option(help: "Image and correspondence grid side in pixels.")
    var size: Int = 336
    @Option(name: .customLong("view-set"), help: "pointad, mvtec, eyecandies or real3d (default: mvtec for TIFF scans, else pointad).")
    var viewSet: String?
    @Option(help: "Ground-truth PNG of an organised scan, rendered as view_K_mask.png.")
    var labels: String?
    @Option(name: .customLong("splat-radius"), help: "Half-width of a point's square splat in output pixels (default 1.15: Open3D's point size 7 at 1024 px).")
    var splatRadius: Double?
    @Flag(name: .customLong("cover-gaps"), help: "Grow splats to the cloud's point spacing so sparse scans show no holes.")
    var coverGaps = false
    @Option(help: "Draw on a grid this many times the view size and filter it down, instead of Open3D's window (with --splat-radius, --cover-gaps, --sphere-framing).")
    var supersampling: Int?
    @Option(help: "Visibility: 'nearest' (the reference: one point per pixel) or a depth tolerance as a fraction of the object size, e.g. 0.005.")
    var visibility: String = "nearest"
    @Flag(name: .customLong("sphere-framing"), help: "Frame every view by the cloud's bounding sphere instead of Open3D's per-view box fit.")
    var sphereFraming = false
    @Option(help: "Also write views.png, all views tiled three per row and shrunk by this integer factor.")
    var montage: Int?
    @Option(help: "Real3D-AD resampling to 112,896 points as multiview_real3d.py: reference|none (default: reference with --view-set real3d for PLY/PCD/TXT clouds).")
    var resample: ResampleMode?
    @Option(name: .customLong("point-size"), help: "Square point size in the view set's window (default: the view set's: 7 MVTec, 10 Eyecandies, 12 Real3D; MVTec's per-class sizes are 5–12).")
    var pointSize: Int?
    @OptionGroup var input: CloudInputOptions
    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        if size < 8 || size > 4096 { throw ValidationError("--size must be 8…4096, got \(size)") }
        if let supersampling, !(1...8).contains(supersampling) { throw ValidationError("--supersampling must be 1…8, got \(supersampling)") }
        if let splatRadius, !(splatRadius > 0 && splatRadius <= 64) { throw ValidationError("--splat-radius must be in (0, 64]") }
        if let montage, !(1...16).contains(montage) { throw ValidationError("--montage must be 1…16, got \(montage)") }
        _ = try parsedVisibility()
    }

    func parsedVisibility() throws -> VisibilityTest {
        if visibility == "nearest" { return .nearestPoint }
        guard let tolerance = Double(visibility), tolerance >= 0, tolerance < 1 else {
            throw ValidationError("--visibility is 'nearest' or a tolerance in [0, 1), got '\(visibility)'")
        }
        return .renderedDepth(tolerance: tolerance)
    }

    func run() throws {
        compute.apply()
        var job = RenderJob(input: URL(fileURLWithPath: file), output: URL(fileURLWithPath: out))
        job.settings.size = size
        job.settings.supersampling = supersampling ?? 3
        job.settings.visibility = try parsedVisibility()
        if let splatRadius { job.settings.splatRadius = splatRadius }
        job.settings.coverGaps = coverGaps
        if sphereFraming { job.settings.framing = .boundingSphere() }
        // The options of the supersampled splatter select it; by default views are drawn as Open3D does.
        if splatRadius != nil || coverGaps || sphereFraming || supersampling != nil { job.settings.raster = .supersampled }
        job.resample = resample
        job.pointSize = pointSize
        job.viewSetName = viewSet
        job.viewCount = views
        job.labelMask = labels.map { URL(fileURLWithPath: $0) }
        job.montageShrink = montage
        job.loading = try input.loadOptions
        let summary = try job.run { table, url in
            var writer = SafetensorsWriter(metadata: table.metadata)
            try writer.add(CorrespondenceTable.tensorName, int32: table.values, shape: table.shape)
            try writer.write(to: url)
        }
        print("\(file): \(summary.points) points, \(summary.visible.count) views (\(summary.viewSet)), visible per view: "
              + summary.visible.map(String.init).joined(separator: " "))
        print("wrote \(out)/: " + summary.files.joined(separator: " "))
    }
}
