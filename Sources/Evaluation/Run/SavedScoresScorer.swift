import Foundation
import PointADSupport
import PointClouds

/// A "scorer" that reads scores saved earlier — by `pointad eval --save-scores` or by any other
/// detector — so `pointad metrics` computes the benchmark metrics without running a model.
///
/// Layout: `<root>/<class>/<defect>/<stem>.npy`, one float per point in the order the points are
/// read (for an organised TIFF: its valid pixels, row-major), or a full H×W map, of which the valid
/// pixels are taken. When `root` is an eval output folder its `scores/` subfolder is used. Object
/// scores come from a `samples.csv` beside `scores/` when present, else are the maximum point score
/// (the MVTec evaluator's convention).
public struct SavedScoresScorer: SampleScorer {
    public let scoresRoot: URL
    private let objectScores: [String: Float]

    public init(directory: URL) throws {
        let nested = directory.appendingPathComponent("scores")
        scoresRoot = Listing.isDirectory(nested) ? nested : directory
        guard Listing.isDirectory(scoresRoot) else { throw FileError(directory.path, "not a directory of saved scores") }
        objectScores = try Self.readObjectScores(scoresRoot.deletingLastPathComponent().appendingPathComponent("samples.csv"),
                                                 enabled: scoresRoot != directory)
    }

    static func key(_ className: String, _ defect: String, _ stem: String) -> String { "\(className)/\(defect)/\(stem)" }

    /// Beside `<stem>.npy`: the detector's own map (an H×W float32 array, for PointAD the smoothed
    /// 336×336 grid), written by `--save-scores`; the grid protocols take it as `SampleScore.map`.
    public static let mapSuffix = ".map.npy"

    /// Beside `<stem>.npy` for a cloud the detector resampled (Real3D-AD under `pointad`): the
    /// resampled points' scores (float32) and, for each, the input point whose label it carries
    /// (int32), written by `--save-scores`; they become `SampleScore.resampled`.
    public static let resampledSuffix = ".resampled.npy"
    public static let labelSourcesSuffix = ".resampled-sources.npy"

    /// samples.csv rows → object scores by class/defect/stem.
    private static func readObjectScores(_ url: URL, enabled: Bool) throws -> [String: Float] {
        guard enabled, let text = try? String(contentsOf: url, encoding: .utf8) else { return [:] }
        var result: [String: Float] = [:]
        for (n, line) in text.split(whereSeparator: \.isNewline).enumerated().dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 6, let score = Float(f[4]) else { throw FileError(url.path, "line \(n + 1): expected class,split,defect,stem,object_score,label") }
            result[key(f[0], f[2], f[3])] = score
        }
        return result
    }

    /// Whether any sample's resampled-point scores were saved (`<stem>.resampled.npy`).
    public var hasResampledScores: Bool {
        guard let files = FileManager.default.enumerator(atPath: scoresRoot.path) else { return false }
        for case let path as String in files where path.hasSuffix(Self.resampledSuffix) { return true }
        return false
    }

    /// The resampled points' scores saved beside `scores` (`<stem>.npy`), when both files are there.
    func resampled(beside scores: URL, stem: String) throws -> ResampledScores? {
        let folder = scores.deletingLastPathComponent()
        let values = folder.appendingPathComponent(stem + Self.resampledSuffix), sources = folder.appendingPathComponent(stem + Self.labelSourcesSuffix)
        guard FileManager.default.fileExists(atPath: values.path), FileManager.default.fileExists(atPath: sources.path) else { return nil }
        let v = try NPYFile.read(values), s = try NPYFile.read(sources)
        guard v.dtype == .float32, let ids = s.int32s(), ids.count == v.count else {
            throw FileError(sources.path, "expected \(v.count) int32 label sources for the float32 scores of \(values.lastPathComponent)")
        }
        return ResampledScores(scores: v.floats(), labelSources: ids.map(Int.init))
    }

    public func score(_ cloud: PointCloud, sample: SampleDescriptor) throws -> SampleScore {
        let url = scoresRoot.appendingPathComponent(sample.className).appendingPathComponent(sample.defect)
            .appendingPathComponent(sample.stem + ".npy")
        var scores = try NPYFile.read(url).floats()
        var map: ScoreMap?
        if scores.count != cloud.count {
            guard let grid = cloud.grid, scores.count == grid.width * grid.height else {
                throw FileError(url.path, "\(scores.count) scores for \(cloud.count) points")
            }
            // A full-size map: the `mvtec` protocol evaluates it as is, as MVTec's evaluator does.
            map = ScoreMap(width: grid.width, height: grid.height, values: scores)
            scores = grid.pixelIndices.map { scores[$0] }
        } else if cloud.grid != nil {
            let mapURL = url.deletingLastPathComponent().appendingPathComponent(sample.stem + Self.mapSuffix)
            if FileManager.default.fileExists(atPath: mapURL.path) {
                let m = try NPYFile.read(mapURL)
                guard m.shape.count == 2, m.count > 0 else { throw FileError(mapURL.path, "expected a 2-D map, found shape \(m.shape)") }
                map = ScoreMap(width: m.shape[1], height: m.shape[0], values: m.floats())
            }
        }
        let object = objectScores[Self.key(sample.className, sample.defect, sample.stem)] ?? scores.max() ?? 0
        return SampleScore(objectScore: object, pointScores: scores, map: map, resampled: try resampled(beside: url, stem: sample.stem))
    }
}
