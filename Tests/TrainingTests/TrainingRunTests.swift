import CLIP
import Evaluation
import Foundation
import PointADModel
import PointADSupport
import PointClouds
import Rendering
import Testing
import TensorCore
import TestSupport
@testable import Training

/// The whole `train` path on a small plain folder: render, encode with the anomalyclip-tiny CLIP
/// (56 px), cache, train, checkpoint, resume.
@Suite struct TrainingRunTests {
    /// Reads the plain folder's PLY clouds and `gt/<stem>.npy` labels (what `DatasetSampleLoader` does).
    struct PlainLoader: SampleLoading {
        func load(_ sample: SampleDescriptor) throws -> LoadedSample {
            let cloud = try PointCloudFile.read(URL(fileURLWithPath: sample.points))
            let labels = try sample.groundTruth.map { try NPYFile.read(URL(fileURLWithPath: $0)).int32s()!.map { UInt8($0 != 0 ? 1 : 0) } }
            return LoadedSample(cloud: cloud, pointLabels: labels)
        }
    }

    static func unitLength(_ v: SIMD3<Float>) -> Float { (v * v).sum().squareRoot() }
    static func unit(_ v: SIMD3<Float>) -> SIMD3<Float> { v / unitLength(v) }

    /// Six half-spheres of 1500 points; objects 1, 3, 5 have a bump whose points are labelled.
    static func writeData(_ root: URL) throws {
        try FileManager.default.createDirectory(at: root.appendingPathComponent("gt"), withIntermediateDirectories: true)
        var csv = "stem,label\n"
        for object in 0..<6 {
            var rng = SeededRandom(seed: UInt64(10 + object))
            let defective = object % 2 == 1
            let centre = unit(SIMD3<Float>(rng.uniform() - 0.5, rng.uniform() - 0.5, 1))
            var positions: [SIMD3<Float>] = [], labels: [UInt8] = []
            for _ in 0..<1500 {
                var d = unit(SIMD3<Float>(rng.uniform() * 2 - 1, rng.uniform() * 2 - 1, rng.uniform()))
                var label: UInt8 = 0
                if defective && unitLength(d - centre) < 0.35 { d *= 1.15; label = 1 }
                positions.append(d)
                labels.append(label)
            }
            let stem = String(format: "obj%02d", object)
            try PointCloudFile.write(PointCloud(positions: positions), to: root.appendingPathComponent(stem + ".ply"), heatMap: nil)
            try NPYFile.write(labels, to: root.appendingPathComponent("gt/\(stem).npy"))
            csv += "\(stem),\(defective ? 1 : 0)\n"
        }
        try csv.write(to: root.appendingPathComponent("labels.csv"), atomically: true, encoding: .utf8)
    }

    static func settings(_ dir: URL, output: String, epochs: Int, resume: Bool = false) -> TrainingRunSettings {
        var s = TrainingRunSettings(model: TestPaths.fixture("anomalyclip-tiny/model"), data: dir.appendingPathComponent("data"),
                                    dataset: .plain, output: dir.appendingPathComponent(output))
        s.cache = dir.appendingPathComponent("features.cache")
        s.training.epochs = epochs
        s.training.batchSize = 2
        s.training.contextLength = 4
        s.training.deepDepth = 2
        s.training.deepLength = 2
        s.training.learningRate = 1e-2
        // The supersampled drawing: at the tiny model's 56 px the reference windows (1024/1036 px,
        // points of 6–7 px) shrink this small cloud's defect below the masks' 0.5 threshold, and
        // this test is about the cache, the losses' labels and resuming, not about the raster.
        s.render.raster = .supersampled
        s.render.supersampling = 1
        s.resume = resume
        s.quiet = true
        return s
    }

    /// An organised scan larger than the render size is resized as `Detector` does, and every
    /// resized point keeps the label of the pixel it came from.
    @Test func organisedScansAreResizedWithTheirLabels() throws {
        let clip = try CLIPModel(directory: TestPaths.fixture("anomalyclip-tiny/model"), parts: [.vision])
        let builder = try TrainingExampleBuilder(render: RenderSettings(size: 56), views: nil,
                                                 encoder: ViewEncoder(vision: clip.requireVision()))
        // A 112×112 grid with a hole; the label is 1 on the right half.
        var pixels: [Int] = [], positions: [SIMD3<Float>] = [], labels: [UInt8] = []
        for y in 0..<112 { for x in 0..<112 where !(y < 10 && x < 10) {
            pixels.append(y * 112 + x)
            positions.append(SIMD3(Float(x) / 112 + 0.01, Float(y) / 112 + 0.01, 1 + Float(x * y) / 20000))
            labels.append(x >= 56 ? 1 : 0)
        } }
        let cloud = PointCloud(positions: positions, grid: OrganizedGrid(width: 112, height: 112, pixelIndices: pixels))
        let (resized, prepared) = try builder.preparation.prepare(cloud, labels: labels)
        let resizedLabels = try #require(prepared)
        #expect(resized.grid?.width == 56 && resized.count == 56 * 56 - 25 && resizedLabels.count == resized.count)
        for (i, pixel) in resized.grid!.pixelIndices.enumerated() {
            // torch nearest for a 2× reduction reads source column 2x: right half from x ≥ 28.
            #expect(resizedLabels[i] == (pixel % 56 >= 28 ? 1 : 0))
            #expect(resized.positions[i].x == Float(2 * (pixel % 56)) / 112 + 0.01)
        }
        #expect(builder.viewSet(for: cloud) == .mvtec && builder.viewSet(for: PointCloud(positions: positions)) == .pointAD)
    }

    @Test func trainsFromAFolderAndResumesBitForBit() throws {
        let dir = try TestPaths.temporaryDirectory("train-run")
        try Self.writeData(dir.appendingPathComponent("data"))
        let warmup = try TrainingRun.run(Self.settings(dir, output: "warmup.safetensors", epochs: 1), loader: PlainLoader())
        #expect(warmup.samples == 6 && !warmup.cacheReused && warmup.epochs.count == 1)
        #expect(warmup.epochs[0].total.isFinite && warmup.epochs[0].pointDice > 0 && warmup.epochs[0].pixelFocal > 0)
        let cache = try FeatureCache(contentsOf: dir.appendingPathComponent("features.cache"))
        let e = try cache.example(1)
        #expect(e.viewCount == 9 && e.gridSide == 4 && e.imageSize == 56 && e.objectLabel == 1)
        #expect(e.pointLabels.contains(1) && e.pixelMasks.contains { $0.contains(1) })
        #expect(try cache.example(0).pixelMasks.allSatisfy { !$0.contains(1) })

        // With the cache built, training runs no vision tower; at one BLAS thread (see
        // PromptTrainerTests) an uninterrupted run and a 2 + 2 epoch run must end equal.
        var straight: TrainingSummary?, first: TrainingSummary?, resumed: TrainingSummary?
        var failure: (any Error)?
        ComputeThreads.withSingleThreadedBLAS {
            do {
                straight = try TrainingRun.run(Self.settings(dir, output: "straight.safetensors", epochs: 4), loader: PlainLoader())
                first = try TrainingRun.run(Self.settings(dir, output: "resumed.safetensors", epochs: 2), loader: PlainLoader())
                resumed = try TrainingRun.run(Self.settings(dir, output: "resumed.safetensors", epochs: 4, resume: true), loader: PlainLoader())
            } catch { failure = error }
        }
        if let failure { throw failure }
        #expect(straight!.cacheReused && first!.cacheReused && resumed!.firstEpoch == 2 && resumed!.epochs.count == 2)
        #expect(resumed!.epochs == Array(straight!.epochs[2...]))
        #expect(straight!.epochs.last!.total < straight!.epochs.first!.total)
        let a = try Data(contentsOf: dir.appendingPathComponent("straight.safetensors"))
        let b = try Data(contentsOf: dir.appendingPathComponent("resumed.safetensors"))
        #expect(a == b)
        let (_, _, metadata) = try TrainingCheckpoint.read(dir.appendingPathComponent("resumed.safetensors"))
        #expect(metadata["layers"] == "4" && metadata["image_size"] == "56" && metadata["views"]?.hasPrefix("detector default") == true)

        // Resuming with other settings is refused before any work.
        var other = Self.settings(dir, output: "resumed.safetensors", epochs: 5, resume: true)
        other.training.learningRate = 5e-3
        #expect(throws: FileError.self) { try TrainingRun.run(other, loader: PlainLoader()) }

        // A checkpoint already past --epochs (4 done, 2 asked): ends at once, trains nothing and
        // leaves the file as it was (it used to loop "epoch 5/2", "epoch 6/2", … rewriting it).
        let resumedURL = dir.appendingPathComponent("resumed.safetensors")
        let stamp = try FileManager.default.attributesOfItem(atPath: resumedURL.path)[.modificationDate] as? Date
        let past = try TrainingRun.run(Self.settings(dir, output: "resumed.safetensors", epochs: 2, resume: true), loader: PlainLoader())
        #expect(past.epochs.isEmpty && past.firstEpoch == 4)
        #expect(try Data(contentsOf: resumedURL) == b)
        #expect(try FileManager.default.attributesOfItem(atPath: resumedURL.path)[.modificationDate] as? Date == stamp)
    }

    /// PointAD+: geometry inputs are cached, both prompt sets learn, and `Detector` scores with the
    /// checkpoint as a PointAD+ prompts file.
    @Test func trainsTheGeometryLayerAndScoresWithTheCheckpoint() throws {
        let dir = try TestPaths.temporaryDirectory("train-run-plus")
        try Self.writeData(dir.appendingPathComponent("data"))
        var s = Self.settings(dir, output: "plus.safetensors", epochs: 2)
        s.training.trainsGeometryLayer = true
        s.training.geometry.points = 300
        s.training.geometry.aggregation.neighbours = 8
        let summary = try TrainingRun.run(s, loader: PlainLoader())
        #expect(summary.epochs.allSatisfy { $0.geometryDice > 0 && $0.alignment > 0 && $0.total.isFinite })
        let e = try FeatureCache(contentsOf: dir.appendingPathComponent("features.cache")).example(1)
        let g = try #require(e.geometry)
        #expect(g.points.count == 300 && g.features.shape == [300, 32] && g.points.allSatisfy { $0 < e.pointLabels.count })
        let norms = (0..<300).map { r in (0..<32).reduce(Float(0)) { $0 + g.features[r, $1] * g.features[r, $1] } }
        #expect(norms.allSatisfy { abs($0 - 1) < 1e-4 })

        let checkpoint = dir.appendingPathComponent("plus.safetensors")
        let prompts = try HierarchicalPrompts.read(checkpoint)
        #expect(prompts.geometry != nil)
        var settings = DetectorSettings(render: RenderSettings(size: 56))
        settings.scoring.method = .pointadPlus
        settings.scoring.aggregation = s.training.geometry.aggregation
        let detector = try Detector(model: TestPaths.fixture("anomalyclip-tiny/model"), prompts: checkpoint, settings: settings)
        let cloud = try PointCloudFile.read(dir.appendingPathComponent("data/obj01.ply"))
        let detection = try detector.score(cloud)
        #expect(detection.pointScores.count == cloud.count && detection.pointScores.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(detection.scores.geometryPointScores != nil && detection.objectScore.isFinite)
    }
}
