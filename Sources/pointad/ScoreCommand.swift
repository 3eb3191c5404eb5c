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
        abstract: "Score point clouds and meshes for anomalies with a CLIP model and prompts.",
        discussion: """
            Prints each cloud's object score (0…1). With --out, writes per cloud <name>.ply (per-point \
            `anomaly` and a jet heat-map colour), <name>_view0…8.png (the views with the final per-point \
            scores painted in), <name>_overlays.png (the annotated 3×3 sheet: title, angles, colour bar, \
            ground-truth outline), <name>_renders.png (plain renders), for organised scans <name>_map.png \
            (H×W; with --rgb also <name>_rgb_overlay.png) and <name>.json (the summary), and one \
            report.html for the folder.
            Each cloud's set is moved into place as one unit, with summary.csv (every input, scored or \
            failed) and a `defect` PLY property with a point threshold. A cloud found in a folder keeps its \
            path relative to that folder (<out>/<sub>/<name>.*); two inputs that would write the same name \
            are refused before any work. A file that cannot be scored is reported (stderr, an error entry in \
            the JSON and summary.csv) and the batch goes on; the exit status is then 1. Without --prompts the \
            built-in WinCLIP prompt templates are used (zero-shot out of the box; trained prompts do better). \
            Reads \(PointCloudFile.Format.listing).
            """)

    @Argument(help: "Point-cloud or mesh files, or folders of them.")
    var inputs: [String]

    @Option(help: "CLIP model folder (config.json, model.safetensors, vocab.json, merges.txt).")
    var model: String

    @Option(help: "Prompts file written by `pointad train` (or the authors' prompts converted to safetensors); default: the built-in WinCLIP templates.")
    var prompts: String?

    @Option(help: "Folder for the PLY, PNG and JSON outputs and summary.csv.")
    var out: String?

    @Flag(help: "Print the summaries (and errors) as one JSON array instead of text lines.")
    var json = false

    @Flag(help: "Also score the clouds in every subfolder of a folder given.")
    var recursive = false

    @Option(help: "Object-score threshold: a cloud scoring above it is anomalous.")
    var threshold: Float?

    @Option(name: .customLong("point-threshold"), help: "Point-score threshold: points above it get defect = 1 in the PLY.")
    var pointThreshold: Float?

    @Option(help: "Calibration file from `pointad calibrate`: its object and point thresholds (--threshold / --point-threshold override them).")
    var calibration: String?

    @Flag(help: "No progress output (errors are still printed).")
    var quiet = false

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
    @Option(help: preprocessHelp) var preprocess: ScanPreprocessing = .btf

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
        for (name, value) in [("--threshold", threshold), ("--point-threshold", pointThreshold)] {
            if let value, !value.isFinite { throw ValidationError("\(name) must be a finite number, got \(value)") }
        }
    }

    func run() throws {
        compute.apply()
        printBLASKernelWarning()
        var settings = DetectorSettings()
        settings.scoring.method = DetectionMethod(rawValue: method)!
        settings.layers = try LayerSelection(parsing: layers)
        settings.views = viewSet.flatMap { ViewSet.presets[$0] }
        settings.resample = resample
        if referenceBehaviour { settings.scoring.behaviour = .reference }
        settings.featureCache = cache.map { URL(fileURLWithPath: $0) }
        let found = ScoreInputs(inputs, recursive: recursive)
        if out != nil { try found.checkDistinctOutputs() }
        let calibrationFile = try calibration.map { try Calibration.read(URL(fileURLWithPath: $0)) }
        let detector = try Detector(model: URL(fileURLWithPath: model), promptSource: PromptSource(path: prompts), settings: settings)
        if detector.hasRandomWeights { FileHandle.standardError.write(Data((ModelFolder.randomWeightsWarning + "\n").utf8)) }
        if prompts == nil { FileHandle.standardError.write(Data("no --prompts: scoring with the \(BuiltInPrompts.label) (trained prompts do better)\n".utf8)) }
        var run = ScoreRun(detector: detector, outputDirectory: out.map { URL(fileURLWithPath: $0) }, rgb: rgb.map { URL(fileURLWithPath: $0) },
                           calibration: calibration)
        run.quiet = quiet
        run.loading = try input.loadOptions
        run.preprocessing = preprocess
        if preprocess == .btf, rgb != nil, found.inputs.contains(where: { ScanPreprocessing.applies(to: $0.url) }) {
            throw ValidationError("--rgb with --preprocess btf: the RGB image would not match the padded grid; preprocess the scan first (pointad preprocess) and score it with --preprocess none")
        }
        if let calibrationFile, let calibration {
            let mismatches = calibrationFile.mismatches(with: run.provenance)
            guard mismatches.isEmpty else {
                throw FileError(calibration, "was calibrated with other settings: \(mismatches.joined(separator: "; ")); calibrate again with this run's")
            }
        }
        let object = threshold ?? calibrationFile?.objectThreshold
        let point = pointThreshold ?? calibrationFile?.pointThreshold
        if object != nil || point != nil {
            run.thresholds = DecisionThresholds(object: object, point: point, source: calibration ?? "--threshold")
        }
        let outcomes = try run.run(found.inputs, failures: found.failures) { outcome in
            guard !json, case .scored(let summary) = outcome else { return }
            var line = "\(summary.file)\t\(String(format: "%.4f", summary.objectScore))"
            if let anomalous = summary.anomalous { line += anomalous ? "\tANOMALOUS" : "\tpass" }
            if let defects = summary.defectPoints { line += "\t\(defects) defect points" }
            if summary.randomWeights { line += "  (random weights)" }
            print(line)
        }
        if json { print(String(decoding: try ScoreOutcome.json(outcomes), as: UTF8.self)) }
        if let c = detector.featureCache { reportCacheUse(c) }
        let failed = outcomes.filter { if case .failed = $0 { return true } else { return false } }.count
        if failed > 0 {
            FileHandle.standardError.write(Data("\(failed) of \(outcomes.count) inputs failed (listed above\(out == nil ? "" : " and in \(out!)/\(ScoreRun.summaryName)"))\n".utf8))
            throw ExitCode(1)
        }
    }
}
