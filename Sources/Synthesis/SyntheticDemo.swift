import Foundation
import PointADSupport
import PointClouds
import TensorCore

/// The inputs of the built-in demo (`pointad demo`): a small synthetic MVTec 3D-AD-style dataset of
/// raw table scans (preprocessed on the fly by the steps that read it, as `--preprocess btf` does),
/// a tiny random-weight CLIP, and one defective scan as a `.ply`, all under one folder. Everything
/// is clearly synthetic/random, and the same seed gives the same files.
public enum SyntheticDemo {
    /// How big a demo to make.
    public enum Size: String, CaseIterable, Sendable {
        /// For CI: 3 classes, 4 test samples each, 128×112 scans.
        case ci
        /// The README's demo: 4 classes, 8 test samples each, 256×224 scans.
        case standard

        var settings: SynthesisSettings {
            switch self {
            case .ci:
                var s = SynthesisSettings(layout: .mvtec3d, classes: 3, testSamples: 4, trainSamples: 2, seed: 0)
                s.imageWidth = 128
                s.imageHeight = 112
                s.meshResolution = 96
                return s
            case .standard:
                return SynthesisSettings(layout: .mvtec3d, classes: 4, testSamples: 8, trainSamples: 4, seed: 0)
            }
        }
    }

    /// Where the demo's inputs are, and which classes to train on and to evaluate.
    public struct Workspace: Sendable {
        /// MVTec 3D-AD-style dataset root.
        public let dataset: URL
        /// Hugging Face-style CLIP folder with random weights (tiny preset).
        public let model: URL
        /// A defective test scan as a binary PLY (x y z, colours, and its ground truth as `label`).
        public let samplePLY: URL
        /// The class the prompts are trained on (PointAD trains on one class)...
        public let trainClasses: [String]
        /// ...and the classes evaluated zero-shot.
        public let testClasses: [String]
    }

    /// Writes `dataset/`, `model/` and `sample.ply` into `directory`.
    public static func prepare(in directory: URL, size: Size = .standard, seed: UInt64 = 0, quiet: Bool = false) throws -> Workspace {
        var settings = size.settings
        settings.seed = seed
        let dataset = directory.appendingPathComponent("dataset"), model = directory.appendingPathComponent("model")
        let summary = try DatasetSynthesizer.synthesize(settings, to: dataset, quiet: quiet)
        try RandomCLIPFolder.write(preset: .tiny, seed: seed, to: model)
        let samplePLY = directory.appendingPathComponent("sample.ply")
        try writeSamplePLY(settings: settings, to: samplePLY)
        return Workspace(dataset: dataset, model: model, samplePLY: samplePLY,
                         trainClasses: [summary.classes[0]], testClasses: Array(summary.classes.dropFirst()))
    }

    /// The first defective test sample of the last class, as an unorganised cloud: the scan's valid
    /// pixels with their colours and gt labels. A raw table scan is preprocessed first, as the
    /// reference preprocesses MVTec 3D-AD (`BTFPreprocessing`), so the cloud is the object.
    static func writeSamplePLY(settings: SynthesisSettings, to url: URL) throws {
        let classes = SyntheticClass.catalog(count: settings.classes, layout: settings.layout, seed: settings.seed)
        let objectClass = classes[classes.count - 1]
        guard let job = DatasetPlan.jobs(for: objectClass, settings: settings).first(where: \.isDefective) else {
            throw UsageError("the demo settings make no defective sample")
        }
        let raw = SampleSynthesizer.mvtecScan(of: objectClass, defects: job.defects, seed: job.seed, settings: settings)
        var scan = OrganizedScan(xyz: XYZImage(width: raw.width, height: raw.height, values: raw.xyz), rgb: raw.rgb, gt: raw.groundTruth)
        if settings.scene == .table { scan = try BTFPreprocessing().apply(scan).scan }
        let rgb = scan.rgb ?? [], gt = scan.gt ?? []
        var positions: [SIMD3<Float>] = [], colors: [SIMD3<Float>] = [], labels: [Float] = []
        for p in scan.xyz.validPixelIndices {
            positions.append(scan.xyz[p % scan.width, p / scan.width])
            colors.append(SIMD3(Float(rgb[3 * p]), Float(rgb[3 * p + 1]), Float(rgb[3 * p + 2])) / 255)
            labels.append(gt[p] > 0 ? 1 : 0)
        }
        let cloud = PointCloud(positions: positions, colors: colors, scalars: ["label": labels])
        try PLYWriter.write(cloud, to: url, heatMap: nil)
    }
}
