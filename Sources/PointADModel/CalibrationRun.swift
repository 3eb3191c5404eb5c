import Foundation
import PointADSupport
import PointClouds

/// `pointad calibrate`: scores known-good parts and picks the thresholds of `Calibration`'s rule.
/// Every good part must score: a calibration silently built on fewer parts than given would
/// claim a false-alarm rate it was not measured for, so failures are listed and nothing is written.
public struct CalibrationRun {
    public let detector: Detector
    public var falseAlarmRate = 0.01
    public var pointFalseAlarmRate = 0.001
    public var quiet = false
    /// Read as `score` reads, so the thresholds apply to the same clouds.
    public var loading = CloudLoadOptions()
    public var preprocessing: ScanPreprocessing = .btf

    public init(detector: Detector) { self.detector = detector }

    public func run(_ inputs: ScoreInputs) throws -> Calibration {
        var failures = inputs.failures
        var files: [String] = [], objectScores: [Float] = [], pointScores: [Float] = []
        let views = detector.settings.views?.count ?? 9
        let progress = ProgressReporter("calibrate", total: inputs.inputs.count * views, quiet: quiet)
        for input in inputs.inputs {
            var done = 0
            do {
                let detection = try detector.score(try ScoreRun.readCloud(input.url, loading: loading, preprocessing: preprocessing)) { n in
                    done += n
                    progress.advance(by: n, detail: input.url.lastPathComponent)
                }
                files.append(input.url.path)
                objectScores.append(detection.objectScore)
                pointScores += detection.pointScores
            } catch {
                failures.append(ScoreFailure(file: input.url.path, error: ScoreRun.describe(error, file: input.url.path)))
            }
            if done < views { progress.advance(by: views - done) }
        }
        guard failures.isEmpty else {
            throw UsageError("no calibration written: \(failures.count) good part(s) could not be scored:\n"
                             + failures.map { "  \($0.error)" }.joined(separator: "\n"))
        }
        guard !objectScores.isEmpty else { throw UsageError("no good parts to calibrate on") }
        var provenance = ScoreProvenance(detector: detector)
        provenance.preprocess = preprocessing.rawValue
        return try Calibration(goodFiles: files, objectScores: objectScores, pointScores: pointScores,
                               falseAlarmRate: falseAlarmRate, pointFalseAlarmRate: pointFalseAlarmRate,
                               run: provenance)
    }
}
