import CLIP
import Dispatch
import Foundation
import Imaging
import PointADSupport
import PointClouds
import Rendering
import TensorCore

/// PointAD / PointAD+ end to end: load a CLIP model folder and a prompts file once, then score
/// point clouds (render nine views → frozen CLIP → rendering and geometry layers → fusion).
///
/// Bad inputs fail before heavy work with the file and the problem named: a model folder without
/// weights, a prompts file for another model width, PointAD+ asked of a file without geometry
/// prompts, an empty or non-finite cloud.
public final class Detector: @unchecked Sendable {
    public let settings: DetectorSettings
    /// The render settings in use (`settings.render` or the model-size default).
    public let render: RenderSettings
    public let model: CLIPModel
    public let encoder: ViewEncoder
    public let scorer: PointScorer
    /// The trained prompts; nil with the built-in templates.
    public let prompts: HierarchicalPrompts?
    /// Where the prompts came from (a file or the built-in templates), recorded in every output.
    public let promptSource: PromptSource
    /// The model folder, recorded in every output.
    public let modelDirectory: URL
    /// True when the model folder says its weights are random (benchmarks and tests).
    public let hasRandomWeights: Bool
    /// The model folder (named when a stage produces NaN).
    public let modelPath: String
    /// The vision-output cache of `settings.featureCache`, when set.
    public let featureCache: ViewFeatureCache?

    public convenience init(model directory: URL, prompts url: URL, settings: DetectorSettings = DetectorSettings()) throws {
        try self.init(model: directory, promptSource: .file(url), settings: settings)
    }

    /// With `.builtIn`, both layers (PointAD+'s geometry layer too) score against the built-in
    /// WinCLIP template features: they live in the same joint embedding space as the patch tokens.
    public init(model directory: URL, promptSource: PromptSource, settings: DetectorSettings = DetectorSettings()) throws {
        try settings.scoring.validate()
        try Self.checkModelFolder(directory)
        let model = try CLIPModel(directory: directory)
        let text = try model.requireText(), tokenizer = try model.requireTokenizer()
        let featureCache = try settings.featureCache.map { try ViewFeatureCache(directory: $0, modelIdentity: try ModelFolder.identity(directory)) }
        let prompts: HierarchicalPrompts?
        let features: (rendering: PromptFeatures, geometry: PromptFeatures?)
        switch promptSource {
        case .file(let url):
            let read = try HierarchicalPrompts.read(url, width: text.width)
            if settings.scoring.method == .pointadPlus && read.geometry == nil {
                throw FileError(url.path, "has no geometry prompts (geometry.ctx_pos …): PointAD+ needs a PointAD+ prompts file; use --method pointad")
            }
            prompts = read
            features = try read.textFeatures(text: text, tokenizer: tokenizer)
        case .builtIn:
            prompts = nil
            let builtIn = try BuiltInPrompts.features(text: text, tokenizer: tokenizer, cache: featureCache)
            features = (builtIn, settings.scoring.method == .pointadPlus ? builtIn : nil)
        }
        let promptsName: String = { if case .file(let url) = promptSource { return url.path } else { return "built-in prompts" } }()
        try FiniteStages.requirePrompts(features.rendering, set: "rendering", prompts: promptsName, model: directory.path)
        if let g = features.geometry { try FiniteStages.requirePrompts(g, set: "geometry", prompts: promptsName, model: directory.path) }
        self.settings = settings
        render = settings.render ?? RenderSettings(size: model.configuration.vision.imageSize)
        self.model = model
        modelPath = directory.path
        self.prompts = prompts
        self.promptSource = promptSource
        modelDirectory = directory
        encoder = try ViewEncoder(vision: model.requireVision(), layers: settings.layers, dpamLayer: settings.dpamLayer)
        scorer = try PointScorer(renderingPrompts: features.rendering, geometryPrompts: features.geometry, settings: settings.scoring)
        hasRandomWeights = ModelFolder.isRandomWeights(directory)
        self.featureCache = featureCache
    }

    /// Refuses a missing folder or one without `config.json` / `model.safetensors`, naming what is missing.
    static func checkModelFolder(_ directory: URL) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) else {
            throw FileError(directory.path, "no such model folder")
        }
        // A single file is an OpenAI CLIP .pt, checked when it is opened (CLIPCheckpoint).
        guard isDirectory.boolValue else { return }
        if !FileManager.default.fileExists(atPath: directory.appendingPathComponent("config.json").path) {
            throw FileError(directory.path, "model folder has no config.json (the model configuration)")
        }
        if !CLIPCheckpoint.weightFiles.contains(where: { FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path) }) {
            throw FileError(directory.path, "model folder has no model.safetensors (the CLIP weights), nor pytorch_model.bin or a shard index")
        }
    }

    /// Scores one cloud. `rgb` (MVTec 3D-AD) is the colour image pixel-aligned with the cloud's
    /// organised grid, fused as in the reference. `pointSize` draws the views with that point size in
    /// the view set's window (nil: the view set's own). `progress` is told how many views (images)
    /// the vision tower has just finished.
    public func score(_ cloud: PointCloud, rgb: Image? = nil, pointSize: Int? = nil, progress: ((Int) -> Void)? = nil) throws -> Detection {
        let name = cloud.source ?? "point cloud"
        guard !cloud.positions.isEmpty else { throw FileError(name, "the point cloud is empty: nothing to score") }
        if let bad = cloud.positions.firstIndex(where: { !($0.x.isFinite && $0.y.isFinite && $0.z.isFinite) }) {
            throw FileError(name, "point \(bad) has a non-finite coordinate \(cloud.positions[bad])")
        }
        if rgb != nil && cloud.grid == nil {
            throw FileError(name, "RGB fusion needs an organised scan (an MVTec 3D-AD xyz TIFF) pixel-aligned with the image")
        }
        if let rgb, let grid = cloud.grid, rgb.width != grid.width || rgb.height != grid.height {
            throw FileError(name, "the RGB image is \(rgb.width)×\(rgb.height) pixels but the scan's grid is \(grid.width)×\(grid.height): they must be pixel-aligned")
        }
        var timings = DetectionTimings()
        let start = Self.now()
        var clock = start
        func lap(_ field: WritableKeyPath<DetectionTimings, Double>) {
            let t = Self.now()
            timings[keyPath: field] += t - clock
            clock = t
        }

        // Organised scans larger than the views: the reference first resizes the xyz grid to
        // 336×336 (nearest) and scores those points; every input point then reads the smoothed map.
        let size = render.size
        let preparation = CloudPreparation(size: size, normalNeighbours: settings.normalNeighbours, views: settings.views,
                                           resample: settings.resample, pointSize: pointSize)
        let resampled = preparation.resamples(cloud)
        let prepared = try preparation.prepared(cloud)
        let working = prepared.cloud
        lap(\.normals)
        let viewSet = preparation.viewSet(for: cloud)
        let renderer = MultiViewRenderer(settings: render, views: viewSet, normalNeighbours: settings.normalNeighbours)
        let views = try renderer.render(working)
        lap(\.rendering)
        var images = try views.map { view -> Image in
            guard let image = view.image else { throw UsageError("the renderer returned a view without an image") }
            return image
        }
        if let rgb { images.append(rgb) }
        var features = try encoder.encode(images, batch: settings.batch, cache: featureCache, progress: progress)
        try FiniteStages.requireViews(features, cloud: name, model: modelPath)
        let rgbFeatures = rgb == nil ? nil : RGBFeatures(features.removeLast())
        lap(\.vision)
        let needed = settings.scoring.neighboursNeeded
        let neighbourhoods = needed > 0 ? try PointNeighbourhoods.nearest(working.positions, k: needed) : nil
        lap(\.neighbours)
        let geometry = CloudGeometry(positions: working.positions, normals: working.normals, grid: working.grid, neighbourhoods: neighbourhoods)
        let scores = try scorer.score(views: features, projections: views.map(\.projection), cloud: geometry, rgb: rgbFeatures)
        var pointScores = scores.pointScores
        if resampled, let grid = cloud.grid, let map = scores.gridMap {
            pointScores = grid.pixelIndices.map { pixel in
                map[(pixel / grid.width * size / grid.height) * size + pixel % grid.width * size / grid.width]
            }
        }
        if let inputSample = prepared.inputSample {
            // Real3D-AD resampling: each input point reports the score of the point standing for it.
            pointScores = inputSample.map { pointScores[$0] }
        }
        try FiniteStages.requireScores(scores, final: pointScores, cloud: name)
        lap(\.layers)
        timings.total = Self.now() - start
        var detection = Detection(scores: scores, views: views, scoredCloud: working, pointScores: pointScores, timings: timings)
        detection.labelSources = prepared.labelSources
        return detection
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
