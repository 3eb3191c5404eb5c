import ArgumentParser
import Foundation
import PointADModel
import PointADSupport

/// `pointad score`: object and per-point anomaly scores for point clouds.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score point clouds (PLY, PCD, MVTec 3D-AD xyz TIFF) for anomalies with a CLIP model and learned prompts.",
        discussion: """
            Prints each cloud's object score (0…1). With --out, writes per cloud <name>.ply (per-point \
            `anomaly` and a jet heat-map colour), <name>_view0…8.png (the views with the final per-point \
            scores painted in), <name>_overlays.png (the annotated 3×3 sheet: title, angles, colour bar, \
            ground-truth outline), <name>_renders.png (plain renders), for organised scans <name>_map.png \
            (H×W; with --rgb also <name>_rgb_overlay.png) and <name>.json (the summary), and one \
            report.html for the folder. Folders are scored file by file.
            """)

    @Argument(help: "Point-cloud files, or folders of them.")
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

    @OptionGroup var compute: ComputeOptions

    func validate() throws {
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
        let files = try ScoreRun.expand(inputs)
        let detector = try Detector(model: URL(fileURLWithPath: model), prompts: URL(fileURLWithPath: prompts), settings: settings)
        if detector.hasRandomWeights { FileHandle.standardError.write(Data((ModelFolder.randomWeightsWarning + "\n").utf8)) }
        let run = ScoreRun(detector: detector, outputDirectory: out.map { URL(fileURLWithPath: $0) }, rgb: rgb.map { URL(fileURLWithPath: $0) })
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
    }
}
