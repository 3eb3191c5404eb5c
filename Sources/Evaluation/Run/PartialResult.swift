import Foundation
import PointADSupport

/// What one shard leaves behind for `merge`: `partial.json` (the walk, the shard, every sample's
/// descriptor, object score and label, the failures) and per-sample point arrays in `points/`
/// (`<index>.scores.npy` float32, `<index>.labels.npy` uint8, `<index>.regions.npy` int32).
struct PartialManifest: Codable {
    static let formatName = "pointad-eval-partial"
    var format = formatName
    var version = 1
    var dataset: DatasetKind
    var data: String
    var split: String
    /// Every class of the walk (also those this shard had no sample of) and the walk's length.
    var classes: [String]
    var total: Int
    var shard: Shard
    var saveScores: Bool
    var settings: [String: String]
    var samples: [Entry]
    var failures: [SampleFailure]
    /// The protocol the arrays were laid out for (absent in partials of earlier versions: points).
    var evaluationProtocol: EvaluationProtocol?

    struct Entry: Codable {
        var index: Int
        var sample: SampleDescriptor
        var objectScore: Float
        var pointCount: Int
        var hasLabels: Bool
        var hasRegions: Bool
        /// The input-order point scores, saved beside the grid arrays when they differ (protocols
        /// other than points).
        var inputCount: Int?
        /// [height, width] of the scorer's map, saved when scores are saved.
        var mapShape: [Int]?
        /// Scores of resampled points (Real3D-AD under `pointad`) saved with their label sources
        /// (`<index>.sources.npy` int32), for `--save-scores`; nil: none.
        var hasLabelSources: Bool? = nil

        enum CodingKeys: String, CodingKey {
            case index, sample, objectScore = "object_score", pointCount = "points", hasLabels = "has_labels", hasRegions = "has_regions"
            case inputCount = "input_points", mapShape = "map_shape", hasLabelSources = "has_label_sources"
        }
    }

    enum CodingKeys: String, CodingKey {
        case format, version, dataset, data, split, classes, total, shard, saveScores = "save_scores", settings, samples, failures
        case evaluationProtocol = "protocol"
    }

    static func arrays(_ directory: URL, _ index: Int) -> (scores: URL, labels: URL, regions: URL, input: URL, map: URL) {
        let points = directory.appendingPathComponent("points")
        return (points.appendingPathComponent("\(index).scores.npy"), points.appendingPathComponent("\(index).labels.npy"),
                points.appendingPathComponent("\(index).regions.npy"), points.appendingPathComponent("\(index).input.npy"),
                points.appendingPathComponent("\(index).map.npy"))
    }

    func write(to directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: directory.appendingPathComponent("partial.json"))
    }

    static func read(_ directory: URL) throws -> PartialManifest {
        let url = directory.appendingPathComponent("partial.json")
        guard let data = try? Data(contentsOf: url) else {
            throw FileError(url.path, "no partial result here (run `pointad eval --shard K/N --out DIR` first)")
        }
        let manifest: PartialManifest
        do { manifest = try JSONDecoder().decode(PartialManifest.self, from: data) } catch {
            throw FileError(url.path, "not a readable partial result: \(error)")
        }
        guard manifest.format == formatName, manifest.version == 1 else {
            throw FileError(url.path, "unsupported partial format \(manifest.format) v\(manifest.version)")
        }
        return manifest
    }

    /// Writes one sample's point arrays.
    static func writeArrays(_ sample: ScoredSample, to directory: URL) throws {
        let urls = arrays(directory, sample.index)
        try NPYFile.write(sample.pointScores, to: urls.scores)
        if !sample.pointLabels.isEmpty { try NPYFile.write(sample.pointLabels, to: urls.labels) }
        if let r = sample.regions { try NPYFile.write(r, to: urls.regions) }
        if let input = sample.inputScores { try NPYFile.write(input, to: urls.input) }
        if let map = sample.map { try NPYFile.write(map.values, shape: [map.height, map.width], to: urls.map) }
        if let r = sample.resampled { try NPYFile.write(r.labelSources.map { Int32($0) }, to: sourcesURL(directory, sample.index)) }
    }

    static func sourcesURL(_ directory: URL, _ index: Int) -> URL {
        directory.appendingPathComponent("points").appendingPathComponent("\(index).sources.npy")
    }

    /// Reads one sample back, checking the arrays against the manifest.
    static func readSample(_ entry: Entry, from directory: URL) throws -> ScoredSample {
        let urls = arrays(directory, entry.index)
        let scores = try NPYFile.read(urls.scores)
        guard scores.dtype == .float32, scores.count == entry.pointCount else {
            throw FileError(urls.scores.path, "expected \(entry.pointCount) float32 scores, found \(scores.count) \(scores.dtype)")
        }
        var labels: [UInt8] = []
        if entry.hasLabels {
            let l = try NPYFile.read(urls.labels)
            guard l.count == entry.pointCount else { throw FileError(urls.labels.path, "expected \(entry.pointCount) labels, found \(l.count)") }
            labels = l.floats().map { $0 != 0 ? 1 : 0 }
        }
        var regions: [Int32]?
        if entry.hasRegions {
            let r = try NPYFile.read(urls.regions)
            guard r.count == entry.pointCount, let ids = r.int32s() else {
                throw FileError(urls.regions.path, "expected \(entry.pointCount) int32 region ids")
            }
            regions = ids
        }
        var input: [Float]?
        if let count = entry.inputCount {
            let i = try NPYFile.read(urls.input)
            guard i.dtype == .float32, i.count == count else { throw FileError(urls.input.path, "expected \(count) float32 scores, found \(i.count) \(i.dtype)") }
            input = i.floats()
        }
        var map: ScoreMap?
        if let shape = entry.mapShape {
            let m = try NPYFile.read(urls.map)
            guard shape.count == 2, m.dtype == .float32, m.shape == shape else {
                throw FileError(urls.map.path, "expected a float32 map of shape \(shape), found \(m.dtype) \(m.shape)")
            }
            map = ScoreMap(width: shape[1], height: shape[0], values: m.floats())
        }
        var record = ScoredSample(sample: entry.sample, index: entry.index, objectScore: entry.objectScore,
                                  pointScores: scores.floats(), pointLabels: labels, regions: regions, inputScores: input, map: map)
        if entry.hasLabelSources == true {
            let url = sourcesURL(directory, entry.index)
            let s = try NPYFile.read(url)
            guard s.count == entry.pointCount, let ids = s.int32s() else { throw FileError(url.path, "expected \(entry.pointCount) int32 label sources") }
            record.resampled = ResampledScores(scores: record.pointScores, labelSources: ids.map(Int.init))
        }
        return record
    }
}
