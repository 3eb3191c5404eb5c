import Foundation
import PointADSupport

/// The JSON summary of one scored cloud (`pointad score --json`, `<name>.json` with `--out`).
public struct DetectionSummary: Sendable, Codable {
    public var file: String
    public var method: String
    public var objectScore: Float
    /// Mean over views of the class token's abnormal probability.
    public var globalProbability: Float
    public var viewGlobalProbabilities: [Float]
    public var rgbGlobalProbability: Float?
    public var points: Int
    public var pointScoreMinimum: Float
    public var pointScoreMean: Float
    public var pointScoreMaximum: Float
    /// True when the CLIP weights are random: the scores then carry no meaning.
    public var randomWeights: Bool
    public var note: String?
    public var timings: DetectionTimings
    /// Files written for this cloud, relative to the output folder.
    public var outputs: [String]
    /// With a threshold (`--threshold`, `--calibration`): the decision and what it was based on.
    public var anomalous: Bool?
    public var threshold: Float?
    /// With a point threshold: the points above it (the PLY's `defect` property is 1 there).
    public var pointThreshold: Float?
    public var defectPoints: Int?
    /// What produced the result: model, prompts, version, settings, calibration.
    public var run: ScoreProvenance?

    public init(detection: Detection, file: String, randomWeights: Bool, outputs: [String] = []) {
        let s = detection.scores
        self.file = file
        method = s.method.rawValue
        objectScore = s.objectScore
        globalProbability = s.globalProbability
        viewGlobalProbabilities = s.rendering.globalProbabilities
        rgbGlobalProbability = s.rgbGlobalProbability
        let scores = detection.pointScores
        points = scores.count
        pointScoreMinimum = scores.min() ?? 0
        pointScoreMaximum = scores.max() ?? 0
        pointScoreMean = scores.isEmpty ? 0 : scores.reduce(0, +) / Float(scores.count)
        self.randomWeights = randomWeights
        note = randomWeights ? ModelFolder.randomWeightsWarning : nil
        timings = detection.timings
        self.outputs = outputs
    }

    public func json() throws -> Data { try Self.encoder.encode(self) }

    /// Several summaries as one JSON array.
    public static func json(_ summaries: [DetectionSummary]) throws -> Data { try encoder.encode(summaries) }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
