import Foundation
import PointADModel
import PointADSupport
import Testing
import TestSupport

/// The calibration rule, the built-in prompt ensemble's size, and the batch summary table.
@Suite("calibration rule, built-in prompts, summary.csv")
struct CalibrationRuleTests {
    @Test("threshold = the (floor(rate*n)+1)-th highest good score")
    func rule() throws {
        let scores: [Float] = [0.3, 0.9, 0.5, 0.7, 0.1, 0.2, 0.4, 0.6, 0.8, 0.35]
        #expect(try Calibration.threshold(scores, falseAlarmRate: 0) == 0.9)
        #expect(try Calibration.threshold(scores, falseAlarmRate: 0.05) == 0.9)   // floor(0.5) = 0 allowed
        #expect(try Calibration.threshold(scores, falseAlarmRate: 0.1) == 0.8)    // 1 allowed above
        #expect(try Calibration.threshold(scores, falseAlarmRate: 0.25) == 0.7)   // 2 allowed above
        #expect(throws: UsageError.self) { try Calibration.threshold([], falseAlarmRate: 0.1) }
        #expect(throws: UsageError.self) { try Calibration.threshold(scores, falseAlarmRate: 1) }
        let decisions = DecisionThresholds(object: 0.8, point: 0.5, source: "test")
        #expect(decisions.isAnomalous(0.8) == false && decisions.isAnomalous(0.81) == true)
        #expect(decisions.defects([0.4, 0.5, 0.6]) == [0, 0, 1])
    }

    @Test("calibration files: written, read back, and a foreign JSON refused with its path")
    func fileRoundTrip() throws {
        let dir = try TestPaths.temporaryDirectory("calibration")
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = try Calibration(goodFiles: ["a", "b"], objectScores: [0.2, 0.4], pointScores: [0.1, 0.2, 0.3, 0.9],
                                falseAlarmRate: 0, pointFalseAlarmRate: 0.25, run: nil)
        #expect(c.objectThreshold == 0.4 && c.pointThreshold == 0.3)   // rate 0.25 of 4 points: one may lie above
        let url = dir.appendingPathComponent("c.json")
        try c.write(to: url)
        #expect(try Calibration.read(url) == c)
        let other = dir.appendingPathComponent("other.json")
        try Data("{\"threshold\": 1}".utf8).write(to: other)
        #expect { try Calibration.read(other) } throws: { ($0 as? FileError)?.path == other.path }
    }

    @Test("WinCLIP ensemble: 7 normal and 5 anomalous states in each of 22 templates")
    func builtInPromptCount() {
        #expect(BuiltInPrompts.sentences(anomalous: false).count == 7 * 22)
        #expect(BuiltInPrompts.sentences(anomalous: true).count == 5 * 22)
        #expect(BuiltInPrompts.sentences(anomalous: true).contains("a photo of a damaged object for visual inspection."))
        #expect(!BuiltInPrompts.sentences(anomalous: false).contains { $0.contains("{}") })
    }

    @Test("summary.csv: one row per input, errors quoted when they hold commas")
    func summaryTable() {
        let csv = ScoreSummaryTable.csv([.failed(ScoreFailure(file: "x.ply", error: "x.ply: bad, very bad"))])
        #expect(csv == "file,status,object_score,anomalous,threshold,point_score_max,defect_points,outputs,error\nx.ply,error,,,,,,,\"x.ply: bad, very bad\"\n")
    }
}
