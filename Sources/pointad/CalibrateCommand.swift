import ArgumentParser
import Foundation
import PointADModel
import PointADSupport
import PointClouds
import Rendering

/// `pointad calibrate`: thresholds from known-good parts, for `score --calibration`.
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Pick object and point thresholds from known-good parts (for `score --calibration`).",
        discussion: """
            Scores every good part with the model, prompts and settings given (use the same ones with \
            `score`). Rule, for a false-alarm rate a and n good parts: the threshold is the (floor(a*n)+1)-th \
            highest good score, and a part is anomalous when it scores above it, so at most a fraction a of \
            the good parts would be flagged (with a*n < 1: the highest good score). The point threshold is \
            the same rule over all good points pooled. More good parts give a threshold that generalises \
            better; with few, expect some false alarms on new good parts.
            """)

    @Option(parsing: .upToNextOption, help: "Known-good point clouds or folders of them.") var good: [String]
    @Option(help: "CLIP model folder.") var model: String
    @Option(help: "Prompts file (default: the built-in WinCLIP templates).") var prompts: String?
    @Option(help: "Where to write the calibration JSON.") var out: String
    @Option(name: .customLong("false-alarm-rate"), help: "Largest fraction of good parts flagged anomalous.") var falseAlarmRate: Double = 0.01
    @Option(name: .customLong("point-false-alarm-rate"), help: "Largest fraction of good points marked defect.") var pointFalseAlarmRate: Double = 0.001
    @Option(help: "pointad or pointad+.") var method: String = DetectionMethod.pointad.rawValue
    @Option(help: "Vision layers: paper, quarters, or a list.") var layers: String = "paper"
    @Flag(help: "Also take the clouds in subfolders of the folders given.") var recursive = false
    @Flag(help: "No progress output.") var quiet = false
    @Option(name: .customLong("view-set"), help: "pointad, mvtec, eyecandies or real3d, as given to score.") var viewSet: String?
    @Option(help: preprocessHelp) var preprocess: ScanPreprocessing = .btf
    @OptionGroup var input: CloudInputOptions
    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        guard DetectionMethod(rawValue: method) != nil else {
            throw ValidationError("--method must be one of \(DetectionMethod.allCases.map(\.rawValue).joined(separator: ", ")), got '\(method)'")
        }
        for (name, rate) in [("--false-alarm-rate", falseAlarmRate), ("--point-false-alarm-rate", pointFalseAlarmRate)] where !(rate >= 0 && rate < 1) {
            throw ValidationError("\(name) must be in [0, 1), got \(rate)")
        }
        _ = try LayerSelection(parsing: layers)
        if let viewSet, ViewSet.presets[viewSet] == nil {
            throw ValidationError("unknown --view-set '\(viewSet)'; choose one of \(ViewSet.presets.keys.sorted().joined(separator: ", "))")
        }
    }

    func run() throws {
        compute.apply()
        var settings = DetectorSettings()
        settings.scoring.method = DetectionMethod(rawValue: method)!
        settings.layers = try LayerSelection(parsing: layers)
        settings.views = viewSet.flatMap { ViewSet.presets[$0] }
        let detector = try Detector(model: URL(fileURLWithPath: model), promptSource: PromptSource(path: prompts), settings: settings)
        if detector.hasRandomWeights { FileHandle.standardError.write(Data((ModelFolder.randomWeightsWarning + "\n").utf8)) }
        var run = CalibrationRun(detector: detector)
        run.falseAlarmRate = falseAlarmRate
        run.pointFalseAlarmRate = pointFalseAlarmRate
        run.quiet = quiet
        run.loading = try input.loadOptions
        run.preprocessing = preprocess
        let calibration = try run.run(ScoreInputs(good, recursive: recursive))
        try calibration.write(to: URL(fileURLWithPath: out))
        print("object threshold \(calibration.objectThreshold) (good scores \(calibration.goodScoreMinimum)…\(calibration.goodScoreMaximum), \(calibration.goodParts) parts, false-alarm rate \(falseAlarmRate))")
        print("point threshold \(calibration.pointThreshold) (\(calibration.goodPoints) good points, rate \(pointFalseAlarmRate))")
        print("wrote \(out)")
    }
}
