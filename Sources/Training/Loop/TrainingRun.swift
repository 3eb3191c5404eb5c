import CLIP
import Evaluation
import Foundation
import PointADModel
import PointADSupport
import PointClouds
import Rendering
import TensorCore

/// Everything `pointad train` is asked to do.
public struct TrainingRunSettings: Sendable {
    public var model: URL
    public var data: URL
    public var dataset: DatasetKind
    /// Classes to train on (all when nil). The reference trains on one class's test split.
    public var classes: [String]?
    public var splits: [String] = ["test"]
    /// The checkpoint, rewritten after every epoch.
    public var output: URL
    /// Continue from `output` when it exists.
    public var resume = false
    /// Replace an existing `output` (without `resume` or `force`, an existing checkpoint is refused:
    /// it may hold a longer run).
    public var force = false
    public var training = TrainingSettings()
    public var layers: LayerSelection = .paper
    public var dpamLayer: Int?
    public var render = RenderSettings()
    /// The view set; nil follows `Detector` (MVTec's views for organised scans, PointAD's otherwise),
    /// so prompts are trained on the views `score` and `eval` render.
    public var views: ViewSet?
    /// The feature cache file; nil puts it beside the checkpoint.
    public var cache: URL?
    public var quiet = false
    /// What the loader does to MVTec 3D-AD scans (part of the feature cache's key and the metadata).
    public var preprocessing: ScanPreprocessing = .none
    /// The point size of every view (`--point-size`); nil: the reference's per class with the
    /// dataset's own view set (`ClassPointSize`), else the view set's.
    public var pointSize: Int?

    /// The point size each class is rendered with, nil where the view set's own applies because
    /// the views are chosen per cloud (unorganised clouds without a view set).
    public func pointSizes(classes: [String]) -> [String: ClassPointSize] {
        ClassPointSize.forClasses(classes, dataset: dataset, views: views, explicit: pointSize)
    }

    public init(model: URL, data: URL, dataset: DatasetKind, output: URL) {
        self.model = model
        self.data = data
        self.dataset = dataset
        self.output = output
    }

    public var cacheURL: URL { cache ?? output.deletingLastPathComponent().appendingPathComponent(output.lastPathComponent + ".features") }
}

/// What a finished run reports.
public struct TrainingSummary: Sendable {
    /// The model folder says its weights are random (`pointad init-model`): the prompts are for
    /// testing the pipeline only.
    public var randomWeights: Bool
    /// Mean loss terms of each epoch run now (resumed runs list only the new epochs).
    public var epochs: [LossTerms]
    public var firstEpoch: Int
    public var samples: Int
    public var cacheReused: Bool
}

/// `pointad train`: lists the samples, builds (or reuses) the feature cache, trains the prompts
/// epoch by epoch and writes the checkpoint atomically after each epoch.
public enum TrainingRun {
    public static func run(_ s: TrainingRunSettings, loader: any SampleLoading) throws -> TrainingSummary {
        try s.training.validate()
        let geometry = s.training.trainsGeometryLayer ? s.training.geometry : nil
        // Read what resuming needs first, so a bad checkpoint fails before any heavy work.
        var resumeState: TrainingState?
        if !s.resume && !s.force && FileManager.default.fileExists(atPath: s.output.path) {
            throw FileError(s.output.path, "already exists; pass --resume to continue it or --force to replace it")
        }
        if s.resume, FileManager.default.fileExists(atPath: s.output.path) {
            let (state, saved, _) = try TrainingCheckpoint.read(s.output)
            var comparable = saved
            comparable.epochs = s.training.epochs
            guard comparable == s.training else {
                throw FileError(s.output.path, "was trained with other settings; resume with the same options (only --epochs may change)")
            }
            resumeState = state
            // A checkpoint already at or past --epochs: nothing to train, and the file stays as it is
            // (no model load, no cache, no rewrite).
            if state.epochsDone >= s.training.epochs {
                return TrainingSummary(randomWeights: ModelFolder.isRandomWeights(s.model), epochs: [], firstEpoch: state.epochsDone,
                                       samples: 0, cacheReused: false)
            }
        }
        let clip = try CLIPModel(directory: s.model, parts: [.vision, .text, .tokenizer])
        let text = try clip.requireText()
        let encoder = try PromptTextEncoder(text)
        let tokens = PromptTokens.objectAgnostic(contextLength: s.training.contextLength, tokenizer: try clip.requireTokenizer())
        // Checks the prompt shapes against the text encoder before the heavy work.
        let trainer = try PromptTrainer(encoder: encoder, tokens: tokens, settings: s.training, state: resumeState)
        let viewEncoder = try ViewEncoder(vision: try clip.requireVision(), layers: s.layers, dpamLayer: s.dpamLayer)
        var render = s.render
        render.size = viewEncoder.imageSize

        let samples = try DatasetWalker(kind: s.dataset, root: s.data).samples(classes: s.classes, splits: s.splits)
        guard !samples.isEmpty else { throw UsageError("no training samples in \(s.data.path) for classes \(s.classes ?? ["all"])") }
        let pointSizes = s.pointSizes(classes: samples.map(\.className))
        let sizesText = pointSizes.keys.sorted().map { "\($0) \(pointSizes[$0]!.pointSize)" }.joined(separator: ", ")
        let key = FeatureCacheKey(model: try modelIdentity(s.model), imageSize: render.size, layers: viewEncoder.blocks,
                                  dpamLayer: viewEncoder.dpamLayer,
                                  renderer: "\(render) views \(s.views.map { "\($0)" } ?? "detector default") preprocess \(s.preprocessing.rawValue)"
                                      + (sizesText.isEmpty ? "" : " point sizes \(sizesText)"),
                                  data: try dataIdentity(samples),
                                  geometry: try geometry.map { String(decoding: try JSONEncoder.sorted.encode($0), as: UTF8.self) })
        let (reusable, reason) = FeatureCache.reusable(at: s.cacheURL, key: key)
        let cache: FeatureCache
        if let reusable {
            cache = reusable
            if !s.quiet { ProgressReporter("features", total: 0).log("feature cache \(s.cacheURL.path): \(reason), \(cache.count) objects") }
        } else {
            let builder = try TrainingExampleBuilder(render: render, views: s.views, encoder: viewEncoder, geometry: geometry)
            let progress = ProgressReporter("features", total: samples.count, quiet: s.quiet)
            progress.log("building the feature cache \(s.cacheURL.path) (\(reason))")
            try FeatureCache.build(at: s.cacheURL, key: key, count: samples.count, names: samples.map(name)) { i in
                var classBuilder = builder
                classBuilder.pointSize = pointSizes[samples[i].className]?.pointSize
                let example = try self.example(samples[i], loader: loader, builder: classBuilder)
                progress.advance(detail: name(samples[i]))
                return example
            }
            cache = try FeatureCache(contentsOf: s.cacheURL)
        }

        let first = trainer.state.epochsDone
        var epochs: [LossTerms] = []
        let batches = (cache.count + s.training.batchSize - 1) / s.training.batchSize
        for epoch in first..<max(first, s.training.epochs) {
            let progress = ProgressReporter("epoch \(epoch + 1)/\(s.training.epochs)", total: batches, quiet: s.quiet)
            let mean = try trainer.trainEpoch(count: cache.count, example: cache.example) { terms, _ in progress.advance(detail: terms.summary) }
            progress.log("epoch \(epoch + 1): mean \(mean.summary)")
            // A diverged epoch must not overwrite the last good checkpoint with NaN prompts.
            if !mean.total.isFinite || trainer.state.parameters.contains(where: { $0.firstNonFiniteIndex != nil }) {
                throw FileError(s.output.path, "epoch \(epoch + 1) diverged (mean loss \(mean.total), or NaN/Inf in the prompts); "
                                + "nothing was written for it (a checkpoint already there keeps its earlier epochs). Try a lower --lr")
            }
            try TrainingCheckpoint.write(trainer.state, settings: s.training, metadata: metadata(s, classes: samples.map(\.className), viewEncoder: viewEncoder, render: render, pointSizes: pointSizes), to: s.output)
            epochs.append(mean)
        }
        return TrainingSummary(randomWeights: ModelFolder.isRandomWeights(s.model), epochs: epochs, firstEpoch: first,
                               samples: cache.count, cacheReused: reusable != nil)
    }

    static func name(_ d: SampleDescriptor) -> String { "\(d.className)/\(d.split)/\(d.defect)/\(d.stem)" }

    /// Loads one sample and builds its example; a defective sample needs point labels.
    static func example(_ d: SampleDescriptor, loader: any SampleLoading, builder: TrainingExampleBuilder) throws -> TrainingExample {
        let loaded = try loader.load(d)
        guard let label = d.label else { throw FileError(d.points, "training needs labelled samples; this one has no label") }
        let labels: [UInt8]
        if let given = loaded.pointLabels {
            labels = given
        } else if label == 0 {
            labels = [UInt8](repeating: 0, count: loaded.cloud.count)
        } else {
            throw FileError(d.points, "defective training sample without per-point ground truth")
        }
        return try builder.example(cloud: loaded.cloud, pointLabels: labels, objectLabel: label)
    }

    /// The model folder, its configuration and its weights' size and date.
    static func modelIdentity(_ folder: URL) throws -> String { try ModelFolder.identity(folder) }

    /// Every sample's files with sizes and dates, and its label.
    static func dataIdentity(_ samples: [SampleDescriptor]) throws -> String {
        samples.map { d in
            [d.points, d.groundTruth ?? "-"].map { "\($0):\(fileStamp(URL(fileURLWithPath: $0)))" }.joined(separator: ",") + ":\(d.label ?? -1)"
        }.joined(separator: ";")
    }

    static func fileStamp(_ url: URL) -> String { ModelFolder.fileStamp(url) }

    /// What `score` needs to use the prompts as they were trained.
    /// `classes` (of the samples trained on) are recorded by name, so `eval` can leave them out.
    static func metadata(_ s: TrainingRunSettings, classes: [String], viewEncoder: ViewEncoder, render: RenderSettings,
                         pointSizes: [String: ClassPointSize] = [:]) -> [String: String] {
        var m = [
            "model": s.model.standardizedFileURL.path,
            "dataset": s.dataset.rawValue,
            "classes": Set(classes).sorted().joined(separator: ","),
            "layers": viewEncoder.blocks.map(String.init).joined(separator: ","),
            "dpam_layer": viewEncoder.dpamLayer.map(String.init) ?? "none",
            "image_size": String(render.size),
            "views": s.views?.name ?? "detector default (mvtec for organised scans, pointad otherwise)",
            "temperature": String(s.training.temperature),
            "preprocess": s.preprocessing.rawValue,
        ]
        for (name, size) in pointSizes { m["point_size.\(name)"] = size.description }
        if ModelFolder.isRandomWeights(s.model) { m["weights"] = "random (a test model, not CLIP: these prompts mean nothing)" }
        if s.training.trainsGeometryLayer, let json = try? JSONEncoder.sorted.encode(s.training.geometry.aggregation) {
            m["geometry_aggregation"] = String(decoding: json, as: UTF8.self)
        }
        return m
    }
}
