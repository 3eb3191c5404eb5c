import Foundation
import PointADSupport

/// What produced a score, recorded in every result so a number can be traced and reproduced:
/// the model folder, the prompts (a file, or the built-in templates), pointad's version, the
/// detector settings that change scores, and the calibration used for decisions.
public struct ScoreProvenance: Sendable, Codable, Equatable {
    public var model: String
    public var prompts: String
    public var version: String
    public var method: String
    public var layers: [Int]
    public var dpamLayer: Int?
    public var imageSize: Int
    public var views: String
    public var normalNeighbours: Int?  // nil: the view set's own normals search
    /// What was done to xyz TIFF scans before scoring (`btf` or `none`); nil in older files.
    public var preprocess: String?
    /// The calibration file whose thresholds were used, if any.
    public var calibration: String?

    public init(detector: Detector, calibration: String? = nil) {
        model = detector.modelDirectory.path
        prompts = detector.promptSource.label
        version = PointADVersion.string
        method = detector.settings.scoring.method.rawValue
        layers = detector.encoder.blocks
        dpamLayer = detector.encoder.dpamLayer
        imageSize = detector.render.size
        views = detector.settings.views?.name ?? "auto (mvtec for organised scans, pointad otherwise)"
        normalNeighbours = detector.settings.normalNeighbours
        self.calibration = calibration
    }

    /// The same facts as `key=value` lines, for PLY comments and CSV notes.
    public var lines: [String] {
        var out = ["version \(version)", "model \(model)", "prompts \(prompts)", "method \(method)",
                   "layers \(layers.map(String.init).joined(separator: ","))", "image_size \(imageSize)"]
        if let preprocess { out.append("preprocess \(preprocess)") }
        if let calibration { out.append("calibration \(calibration)") }
        return out
    }
}
