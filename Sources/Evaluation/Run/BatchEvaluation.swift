import Foundation
import Imaging
import PointADSupport

/// What `pointad eval` runs.
public struct EvaluationSettings: Sendable {
    public var dataset: DatasetKind
    public var data: URL
    public var classes: [String]?
    public var split: String
    /// Where results go; nil writes nothing (the report is returned), which a shard or
    /// `saveScores` does not allow.
    public var output: URL?
    /// Score only this slice and write a partial result for `merge`.
    public var shard: Shard?
    /// Also write each sample's point scores to `scores/<class>/<defect>/<stem>.npy`.
    public var saveScores: Bool
    /// Extra key/value pairs recorded in results.json (model folder, prompts file…).
    public var notes: [String: String]
    /// Which cells the point-level metrics pool for organised scans (ignored for unorganised
    /// datasets). The CLI defaults to `EvaluationProtocol.paperDefault`.
    public var evaluationProtocol: EvaluationProtocol
    /// Draw each sample's sheet into `pictures/` for `report.html` (when the scorer can).
    public var pictures = true

    public init(dataset: DatasetKind, data: URL, classes: [String]? = nil, split: String = "test", output: URL?,
                shard: Shard? = nil, saveScores: Bool = false, notes: [String: String] = [:],
                evaluationProtocol: EvaluationProtocol = .points) {
        self.evaluationProtocol = evaluationProtocol
        self.dataset = dataset
        self.data = data
        self.classes = classes
        self.split = split
        self.output = output
        self.shard = shard
        self.saveScores = saveScores
        self.notes = notes
    }
}

/// Walk → load → score → per-class metrics → results files, for one run, one shard, or a merge of
/// shards. A sample that cannot be read or scored is reported with its path, skipped and counted;
/// it never ends the run. Every file is written atomically.
public enum BatchEvaluation {
    /// Evaluates `settings.dataset` with `scorer`. Returns the report, or nil for a shard (which
    /// writes `partial.json` and `points/` instead; `merge` turns shards into the report).
    @discardableResult
    public static func run(_ settings: EvaluationSettings, loader: any SampleLoading, scorer: any SampleScorer,
                           quiet: Bool = false) throws -> EvaluationReport? {
        guard settings.output != nil || (settings.shard == nil && !settings.saveScores) else {
            throw UsageError("an output folder is needed to write shards or scores")
        }
        let walker = DatasetWalker(kind: settings.dataset, root: settings.data)
        let walk = try walker.samples(classes: settings.classes, splits: [settings.split])
        guard !walk.isEmpty else { throw FileError(settings.data.path, "no \(settings.split) samples found") }
        var classes: [String] = []
        for s in walk where classes.last != s.className { classes.append(s.className) }
        let selected = walk.indices.filter { settings.shard?.contains($0) ?? true }
        let progress = ProgressReporter(settings.shard.map { "eval shard \($0)" } ?? "eval", total: selected.count, quiet: quiet)

        let evaluation = settings.evaluationProtocol.effective(for: settings.dataset)
        var builder = ReportBuilder(dataset: settings.dataset, split: settings.split, classes: classes, protocol: evaluation)
        var manifest = PartialManifest(
            dataset: settings.dataset, data: settings.data.path, split: settings.split, classes: classes, total: walk.count,
            shard: try settings.shard ?? Shard(index: 0, count: 1), saveScores: settings.saveScores, settings: settings.notes,
            samples: [], failures: [], evaluationProtocol: evaluation)
        let prefetcher = Prefetcher(loader: loader, samples: selected.map { walk[$0] })
        for (position, index) in selected.enumerated() {
            let sample = walk[index]
            do {
                let loaded = try prefetcher.take(position)
                let score = try scorer.score(loaded.cloud, sample: sample)
                var record = try checked(score, loaded, sample, index: index, protocol: evaluation)
                if settings.saveScores { record.map = score.map }
                if settings.saveScores, record.inputScores != nil { record.resampled = score.resampled }
                if settings.pictures, let output = settings.output, let picture = score.picture {
                    // A picture that cannot be drawn costs the page an image, not the sample its metrics.
                    do {
                        try PNGFile.write(picture(loaded.pointLabels), to: output.appendingPathComponent(EvaluationPage.picturePath(sample)))
                    } catch {
                        progress.log("no picture for \(sample.points): \(error)")
                    }
                }
                if settings.saveScores, let output = settings.output { try saveScores(record, in: output) }
                if settings.shard != nil, let output = settings.output {
                    try PartialManifest.writeArrays(record, to: output)
                    manifest.samples.append(.init(index: index, sample: sample, objectScore: record.objectScore,
                                                  pointCount: record.pointScores.count, hasLabels: !record.pointLabels.isEmpty,
                                                  hasRegions: record.regions != nil, inputCount: record.inputScores?.count,
                                                  mapShape: record.map.map { [$0.height, $0.width] },
                                                  hasLabelSources: record.resampled != nil ? true : nil))
                } else {
                    try builder.add(record)
                }
            } catch {
                let failure = Self.failure(error, sample, index: index)
                progress.log("skipped \(failure.path): \(failure.problem)")
                if settings.shard != nil { manifest.failures.append(failure) } else { builder.fail(failure) }
            }
            progress.advance()
        }
        if settings.shard != nil, let output = settings.output {
            try manifest.write(to: output)
            return nil
        }
        let report = try builder.finish()
        if let directory = settings.output {
            try ReportFiles.write(report, to: directory, settings: notes(settings.data.path, settings.notes))
        }
        return report
    }

    /// Combines the partial results of shards 0…N−1 (`partials`, in any order) into the outputs one
    /// unsharded run would have written, in `output`.
    @discardableResult
    public static func merge(_ partials: [URL], into output: URL, quiet: Bool = false) throws -> EvaluationReport {
        guard !partials.isEmpty else { throw UsageError("merge: no partial result folders given") }
        let manifests = try partials.map { try PartialManifest.read($0) }
        let first = manifests[0]
        for (m, url) in zip(manifests, partials).dropFirst() {
            guard m.dataset == first.dataset, m.split == first.split, m.classes == first.classes, m.total == first.total,
                  m.shard.count == first.shard.count, m.data == first.data, m.evaluationProtocol == first.evaluationProtocol else {
                throw FileError(url.path, "partial result from a different run (dataset, data, classes, protocol or shard count differ from \(partials[0].path))")
            }
        }
        var owner: [Int: (entry: PartialManifest.Entry, directory: URL)] = [:]
        var failures: [SampleFailure] = []
        for directory in partials { try copyPictures(from: directory, to: output) }
        var seenShards: Set<Int> = []
        for (m, url) in zip(manifests, partials) {
            guard seenShards.insert(m.shard.index).inserted else { throw FileError(url.path, "shard \(m.shard) given twice") }
            for e in m.samples { owner[e.index] = (e, url) }
            failures += m.failures
        }
        let missing = (0..<first.shard.count).filter { !seenShards.contains($0) }
        guard missing.isEmpty else {
            throw UsageError("merge: missing shard(s) \(missing.map { "\($0)/\(first.shard.count)" }.joined(separator: ", "))")
        }
        let failed = Set(failures.map(\.index))
        if let gap = (0..<first.total).first(where: { owner[$0] == nil && !failed.contains($0) }) {
            throw UsageError("merge: sample \(gap) of the walk is in no partial result")
        }
        var builder = ReportBuilder(dataset: first.dataset, split: first.split, classes: first.classes,
                                    protocol: first.evaluationProtocol ?? .points)
        for f in failures.sorted(by: { $0.index < $1.index }) { builder.fail(f) }
        let progress = ProgressReporter("merge", total: owner.count, quiet: quiet)
        for index in owner.keys.sorted() {
            let (entry, directory) = owner[index]!
            let record = try PartialManifest.readSample(entry, from: directory)
            if first.saveScores { try saveScores(record, in: output) }
            try builder.add(record)
            progress.advance()
        }
        let report = try builder.finish()
        try ReportFiles.write(report, to: output, settings: notes(first.data, first.settings))
        return report
    }

    /// A shard's sample pictures, copied into the merged output so its `report.html` shows them.
    static func copyPictures(from partial: URL, to output: URL) throws {
        let source = partial.appendingPathComponent(EvaluationPage.picturesFolder)
        let manager = FileManager.default
        guard partial.standardizedFileURL != output.standardizedFileURL, manager.fileExists(atPath: source.path),
              let files = manager.enumerator(atPath: source.path) else { return }
        for case let relative as String in files where relative.hasSuffix(".png") {
            let target = output.appendingPathComponent(EvaluationPage.picturesFolder).appendingPathComponent(relative)
            try AtomicFile.write(try Data(contentsOf: source.appendingPathComponent(relative)), to: target)
        }
    }

    private static func notes(_ data: String, _ extra: [String: String]) -> [String: String] {
        extra.merging(["data": data]) { a, _ in a }
    }

    /// The sample with its ground truth, after checking the scorer kept its contract; an organised
    /// sample under the `mvtec` / `pointad` protocol is laid out on that protocol's grid.
    static func checked(_ score: SampleScore, _ loaded: LoadedSample, _ sample: SampleDescriptor, index: Int,
                        protocol evaluation: EvaluationProtocol = .points) throws -> ScoredSample {
        let n = loaded.cloud.count
        guard score.pointScores.count == n else {
            throw FileError(sample.points, "the scorer returned \(score.pointScores.count) point scores for \(n) points")
        }
        guard score.objectScore.isFinite else { throw FileError(sample.points, "the object score is \(score.objectScore)") }
        if let bad = score.pointScores.firstIndex(where: { !$0.isFinite }) {
            throw FileError(sample.points, "point \(bad) has score \(score.pointScores[bad])")
        }
        if let l = loaded.pointLabels, l.count != n { throw FileError(sample.groundTruth ?? sample.points, "\(l.count) point labels for \(n) points") }
        if let r = loaded.regions, r.count != n { throw FileError(sample.groundTruth ?? sample.points, "\(r.count) region ids for \(n) points") }
        if evaluation != .points, let grid = loaded.cloud.grid, loaded.pointLabels != nil {
            if let map = score.map, let bad = map.values.firstIndex(where: { !$0.isFinite }) {
                throw FileError(sample.points, "map cell \(bad) has score \(map.values[bad])")
            }
            let cells: ProtocolGrid
            do { cells = try ProtocolGrid(evaluation, pointScores: score.pointScores, map: score.map, grid: grid, mask: loaded.mask) } catch {
                throw FileError(sample.groundTruth ?? sample.points, "\(error)")
            }
            return ScoredSample(sample: sample, index: index, objectScore: score.objectScore, pointScores: cells.scores,
                                pointLabels: cells.labels, regions: cells.regions, inputScores: score.pointScores)
        }
        if evaluation == .pointad, loaded.cloud.grid == nil, let labels = loaded.pointLabels {
            // PointAD's Real3D-AD protocol (test_only_point.py): the points the detector resampled
            // and scored, labelled as interpolation_points_with_gt_colors labels them.
            guard let resampled = score.resampled else {
                throw FileError(sample.points, "protocol pointad evaluates the points the cloud was resampled to (112,896), but the scorer "
                                + "returned none (eval --resample none, or saved scores without <stem>.resampled.npy); use --protocol points")
            }
            if let bad = resampled.scores.firstIndex(where: { !$0.isFinite }) {
                throw FileError(sample.points, "resampled point \(bad) has score \(resampled.scores[bad])")
            }
            let carried: [UInt8]
            do { carried = try resampled.labels(from: labels) } catch { throw FileError(sample.points, "\(error)") }
            return ScoredSample(sample: sample, index: index, objectScore: score.objectScore, pointScores: resampled.scores,
                                pointLabels: carried, regions: nil, inputScores: score.pointScores)
        }
        return ScoredSample(sample: sample, index: index, objectScore: score.objectScore, pointScores: score.pointScores,
                            pointLabels: loaded.pointLabels ?? [], regions: loaded.regions)
    }

    static func saveScores(_ record: ScoredSample, in output: URL) throws {
        let folder = output.appendingPathComponent("scores").appendingPathComponent(record.sample.className)
            .appendingPathComponent(record.sample.defect)
        try NPYFile.write(record.inputScores ?? record.pointScores, to: folder.appendingPathComponent(record.sample.stem + ".npy"))
        if let r = record.resampled {
            try NPYFile.write(r.scores, to: folder.appendingPathComponent(record.sample.stem + SavedScoresScorer.resampledSuffix))
            try NPYFile.write(r.labelSources.map { Int32($0) }, to: folder.appendingPathComponent(record.sample.stem + SavedScoresScorer.labelSourcesSuffix))
        }
        if let map = record.map {
            try NPYFile.write(map.values, shape: [map.height, map.width], to: folder.appendingPathComponent(record.sample.stem + SavedScoresScorer.mapSuffix))
        }
    }

    static func failure(_ error: Error, _ sample: SampleDescriptor, index: Int) -> SampleFailure {
        if let e = error as? FileError {
            return SampleFailure(index: index, className: sample.className, stem: sample.stem, path: e.path, problem: e.problem)
        }
        return SampleFailure(index: index, className: sample.className, stem: sample.stem, path: sample.points, problem: "\(error)")
    }
}
