import Foundation
import Imaging
import PointADSupport
import PointClouds
import Rendering

/// `pointad score` as a library call: scores each input with one detector, goes on past inputs
/// that fail (each becomes a failure outcome naming the file and the problem), writes each
/// cloud's outputs as one unit (see `OutputStaging`) and `summary.csv`, and returns one outcome
/// per input (the CLI only prints them and sets the exit status).
public struct ScoreRun {
    public static let summaryName = "summary.csv"

    public let detector: Detector
    public var outputDirectory: URL?
    /// The colour image fused with the (single) input cloud.
    public var rgb: URL?
    /// Decisions: object (`anomalous`) and point (`defect`) thresholds.
    public var thresholds: DecisionThresholds?
    /// Recorded in every JSON and PLY written.
    public var provenance: ScoreProvenance
    /// No progress output (errors are still printed).
    public var quiet = false
    /// How files become clouds (text/.npy columns, points sampled on meshes).
    public var loading = CloudLoadOptions()
    /// What is done to xyz TIFF scans (MVTec 3D-AD) before scoring; recorded in the provenance.
    public var preprocessing: ScanPreprocessing = .btf {
        didSet { provenance.preprocess = preprocessing.rawValue }
    }

    public init(detector: Detector, outputDirectory: URL? = nil, rgb: URL? = nil, thresholds: DecisionThresholds? = nil,
                calibration: String? = nil) {
        self.detector = detector
        self.outputDirectory = outputDirectory
        self.rgb = rgb
        self.thresholds = thresholds
        provenance = ScoreProvenance(detector: detector, calibration: calibration)
        provenance.preprocess = preprocessing.rawValue
    }

    /// Scores `inputs` in order; `report` is called after each with its outcome. Throws only for
    /// problems of the whole run (the RGB image, an output folder that cannot be made).
    @discardableResult
    public func run(_ inputs: [ScoreInput], failures earlier: [ScoreFailure] = [],
                    report: (ScoreOutcome) throws -> Void = { _ in }) throws -> [ScoreOutcome] {
        if rgb != nil && inputs.count != 1 {
            throw UsageError("--rgb pairs one image with one point cloud; \(inputs.count) clouds were given")
        }
        let image = try rgb.map { try PNGFile.read($0, as: .rgb) }
        let staging = try outputDirectory.map { try OutputStaging(into: $0) }
        var outcomes: [ScoreOutcome] = []
        for failure in earlier {
            announce(failure)
            outcomes.append(.failed(failure))
            try report(.failed(failure))
        }
        let views = (detector.settings.views?.count ?? 9) + (image == nil ? 0 : 1)
        let progress = ProgressReporter("score", total: inputs.count * views, quiet: quiet)
        for (i, input) in inputs.enumerated() {
            var done = 0
            let detail = "cloud \(i + 1)/\(inputs.count) \(input.url.lastPathComponent)"
            let outcome: ScoreOutcome
            do {
                outcome = .scored(try score(input, rgb: image, staging: staging) { n in
                    done += n
                    progress.advance(by: n, detail: detail)
                })
            } catch {
                staging?.discard()
                let failure = ScoreFailure(file: input.url.path, error: Self.describe(error, file: input.url.path))
                announce(failure, progress: progress)
                outcome = .failed(failure)
            }
            if done < views { progress.advance(by: views - done, detail: detail) }
            outcomes.append(outcome)
            try report(outcome)
        }
        if let outputDirectory {
            try AtomicFile.write(ScoreSummaryTable.csv(outcomes), to: outputDirectory.appendingPathComponent(Self.summaryName))
            let scored = outcomes.compactMap { outcome -> DetectionSummary? in if case .scored(let s) = outcome { return s } else { return nil } }
            if !scored.isEmpty { try ScoreReportPage.write(scored, to: outputDirectory) }
        }
        return outcomes
    }

    /// Scores files given as URLs (outputs named by file name); throws the first failure.
    public func run(_ urls: [URL], report: (DetectionSummary) throws -> Void) throws {
        let inputs = urls.map { ScoreInput(url: $0, stem: $0.deletingPathExtension().lastPathComponent) }
        for outcome in try run(inputs) {
            switch outcome {
            case .scored(let summary): try report(summary)
            case .failed(let failure): throw UsageError(failure.error)
            }
        }
    }

    /// One cloud: read, score, decide, write its set (staged, then moved into place).
    func score(_ input: ScoreInput, rgb image: Image?, staging: OutputStaging?, tick: @escaping (Int) -> Void) throws -> DetectionSummary {
        var cloud = try Self.readCloud(input.url, loading: loading, preprocessing: preprocessing)
        let detection = try detector.score(cloud, rgb: image, progress: tick)
        let defects = thresholds?.defects(detection.pointScores)
        let complete = { (summary: inout DetectionSummary) in
            summary.file = input.url.path
            summary.run = self.provenance
            if let thresholds = self.thresholds {
                summary.threshold = thresholds.object
                summary.anomalous = thresholds.isAnomalous(summary.objectScore)
                summary.pointThreshold = thresholds.point
                summary.defectPoints = defects.map { Int($0.reduce(0, +)) }
            }
        }
        guard let staging else {
            var summary = DetectionSummary(detection: detection, file: input.url.path, randomWeights: detector.hasRandomWeights)
            complete(&summary)
            return summary
        }
        // The PLY keeps the normals the detector used when it scored the input's own points.
        if cloud.normals == nil, detection.scoredCloud.positions == cloud.positions {
            cloud.normals = detection.scoredCloud.normals
        }
        if let defects { cloud.scalars["defect"] = defects }
        let summary = try DetectionReport.write(detection, cloud: cloud, stem: input.stem, to: staging.folder,
                                                randomWeights: detector.hasRandomWeights, preparation: detector.preparation, rgb: image,
                                                decision: thresholds?.object.map { (detection.objectScore > $0, $0) },
                                                comments: plyComments(for: detection), complete: complete)
        try staging.commit(summary.outputs)
        return summary
    }

    /// Reads one input as `score` (and `calibrate`) do: xyz TIFF scans through `preprocessing`,
    /// every other file by its format with `loading`.
    public static func readCloud(_ url: URL, loading: CloudLoadOptions, preprocessing: ScanPreprocessing) throws -> PointCloud {
        ScanPreprocessing.applies(to: url) ? try preprocessing.cloud(xyz: url) : try PointCloudFile.read(url, options: loading)
    }

    /// Metadata for the PLY header: what produced it, the object score and the decision.
    func plyComments(for detection: Detection) -> [String] {
        var lines = provenance.lines.map { "pointad_\($0)" }
        lines.append("pointad_object_score \(detection.objectScore)")
        if let thresholds {
            if let t = thresholds.object { lines.append("pointad_threshold \(t) anomalous \(detection.objectScore > t)") }
            if let t = thresholds.point { lines.append("pointad_point_threshold \(t) (defect = 1 above it)") }
        }
        if detector.hasRandomWeights { lines.append(ModelFolder.randomWeightsWarning) }
        return lines
    }

    func announce(_ failure: ScoreFailure, progress: ProgressReporter? = nil) {
        let line = "error: \(failure.error)"
        if let progress, !quiet { progress.log(line) } else { FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }

    /// An error in plain words, naming the file once.
    static func describe(_ error: Error, file: String) -> String {
        switch error {
        case let e as FileError: return e.description
        case let e as UsageError: return "\(file): \(e.message)"
        default: return "\(file): \((error as NSError).localizedDescription)"
        }
    }
}
