import Foundation
import Imaging
import PointADSupport
import PointClouds
import Rendering

/// The JSON summary of one scored cloud (`pointad score --json`, `summary.json`).
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

/// Writes what `pointad score --out DIR` leaves for one cloud: `<stem>.ply` (per-point `anomaly`
/// and its jet colour), `<stem>_view<k>.png` (each rendered view with its anomaly map overlaid) and
/// `<stem>.json` (the summary). All writes are atomic.
public enum DetectionReport {
    /// The rendered view blended with the jet colours of its anomaly map (`alpha` = map opacity).
    public static func overlay(_ image: Image, map: [Float], alpha: Float = 0.5) throws -> Image {
        guard map.count == image.width * image.height else {
            throw UsageError("overlay: a \(map.count)-value map for a \(image.width)×\(image.height) image")
        }
        var pixels = [Float](repeating: 0, count: map.count * 3)
        for i in 0..<map.count {
            let heat = ColorMap.jet.color(map[i])
            for c in 0..<3 {
                let base = image.channels >= 3 ? image.pixels[i * image.channels + c] : image.pixels[i * image.channels]
                pixels[3 * i + c] = (1 - alpha) * base + alpha * heat[c]
            }
        }
        return Image(width: image.width, height: image.height, channels: 3, pixels: pixels)
    }

    /// Writes the cloud, the view overlays and the summary; returns the summary.
    @discardableResult
    public static func write(_ detection: Detection, cloud: PointCloud, stem: String, to directory: URL,
                             randomWeights: Bool) throws -> DetectionSummary {
        var outputs: [String] = []
        var scored = cloud
        scored.scalars["anomaly"] = detection.pointScores
        if randomWeights { scored.scalars["random_weights"] = [Float](repeating: 1, count: cloud.count) }
        let ply = "\(stem).ply"
        try PointCloudFile.write(scored, to: directory.appendingPathComponent(ply), heatMap: HeatMap(scalar: "anomaly", range: 0...1))
        outputs.append(ply)
        for (k, view) in detection.views.enumerated() {
            guard let image = view.image else { continue }
            let name = "\(stem)_view\(k).png"
            try PNGFile.write(try overlay(image, map: detection.anomalyMap(view: k)), to: directory.appendingPathComponent(name))
            outputs.append(name)
        }
        let json = "\(stem).json"
        outputs.append(json)
        let summary = DetectionSummary(detection: detection, file: cloud.source ?? stem, randomWeights: randomWeights, outputs: outputs)
        try AtomicFile.write(try summary.json(), to: directory.appendingPathComponent(json))
        return summary
    }
}
