import ArgumentParser
import Foundation
import PointADModel
import PointADSupport
import Rendering
import PointClouds

/// `pointad score`: object and per-point anomaly scores for point clouds.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score point clouds and meshes for anomalies with a CLIP model and learned prompts.",
        discussion: """
            Prints each cloud's object score (0…1). With --out, writes per cloud <name>.ply (per-point \
            `anomaly` and a jet heat-map colour), <name>_view0…8.png (the rendered views with their \
            anomaly maps overlaid), <name>_renders.png and <name>_overlays.png (all views on one sheet) and \
            <name>.json (the summary). Folders are scored file by file. Reads \(PointCloudFile.Format.listing).
            """)

    @Argument(help: "Point-cloud or mesh files, or folders of them.")
    var inputs: [String]

    @Option(help: "CLIP model folder (config.json, model.safetensors, vocab.json, merges.txt).")
    var model: String

    @Option(help: "Prompts file written by `pointad train` (or the authors' prompts converted to safetensors).")
    var prompts: String

    @Option(help: "Folder for the PLY, PNG and JSON outputs.")
    var out: String?

    @Flag(help: "Print the summaries as one JSON array instead of text lines.")
    var json = false

    @Option(help: "pointad (rendering layer) or pointad+ (rendering + geometry layers).")
    var method: String = DetectionMethod.pointad.rawValue

    @Option(help: "RGB image pixel-aligned with the (single) MVTec 3D-AD scan, fused plug-and-play.")
    var rgb: String?

    @Option(help: "Vision layers scored: paper (last block, as published), quarters (6,12,18,24 of 24), or a list.")
    var layers: String = "paper"

    @Option(name: .customLong("view-set"), help: "pointad, mvtec, eyecandies or real3d (default: mvtec for TIFF scans, else pointad).")
    var viewSet: String?

    @Option(help: "Real3D-AD resampling to 112,896 points: reference|none (default: reference with --view-set real3d); scores are for the input's points.")
    var resample: ResampleMode?

    @Flag(help: "Score as the authors' code where pointad departs from it: unseen points take the nearest seen point in file order, a cloud's point list is smoothed as a 336×336 image.")
    var referenceBehaviour = false
    @Option(help: "Folder caching the vision tower's outputs: scoring the same clouds again (other prompts) skips CLIP.")
    var cache: String?

    @OptionGroup var input: CloudInputOptions
    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        if let viewSet, ViewSet.presets[viewSet] == nil {
            throw ValidationError("unknown --view-set '\(viewSet)'; choose one of \(ViewSet.presets.keys.sorted().joined(separator: ", "))")
        }
        guard DetectionMethod(rawValue: method) != nil else {
            throw ValidationError("--method must be one of \(DetectionMethod.allCases.map(\.rawValue).joined(separator: ", ")), got '\(method)'")
        }
        _ = try LayerSelection(parsing: layers)
    }

    func run() throws {
        compute.apply()
        var settings = DetectorSettings()
        settings.scoring.method = DetectionMethod(rawValue: method)!
        settings.layers = try LayerSelection(parsing: layers)
        settings.views = viewSet.flatMap { ViewSet.presets[$0] }
        settings.resample = resample
        if referenceBehaviour { settings.scoring.behaviour = .reference }
        settings.featureCache = cache.map { URL(fileURLWithPath: $0) }
        let files = try ScoreRun.expand(inputs)
        let detector = try Detector(model: URL(fileURLWithPath: model), prompts: URL(fileURLWithPath: prompts), settings: settings)
        if detector.hasRandomWeights { FileHandle.standardError.write(Data((ModelFolder.randomWeightsWarning + "\n").utf8)) }
        var run = ScoreRun(detector: detector, outputDirectory: out.map { URL(fileURLWithPath: $0) }, rgb: rgb.map { URL(fileURLWithPath: $0) })
        run.loading = try input.loadOptions
        var summaries: [DetectionSummary] = []
        try run.run(files) { summary in
            if json {
                summaries.append(summary)
            } else {
                let label = summary.randomWeights ? "  (random weights)" : ""
                print("\(summary.file)\t\(String(format: "%.4f", summary.objectScore))\(label)")
            }
        }
        if json { print(String(decoding: try DetectionSummary.json(summaries), as: UTF8.self)) }
        if let c = detector.featureCache { reportCacheUse(c) }
    }
}
