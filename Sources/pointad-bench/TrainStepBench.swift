import ArgumentParser
import CLIP
import Foundation
import TensorCore
import Training

/// One prompt-training step at ViT-L/14@336 sizes: text encoder 12 blocks of width 768 (12 heads,
/// MLP 3072, projection 768), two prompts with 12 context tokens and 8 deep token sets of 4, one
/// object of 9 views × 4 layers × 576 patches read from a feature cache, 336² maps, 100k points.
/// Random weights and features: the cost does not depend on the values.
struct TrainStepBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train-step",
                                                    abstract: "One optimisation step with cached features (ViT-L/14@336 sizes).")
    @Option(help: "Threads (0 = all cores).") var threads: Int = 0
    @Option(help: "Timed steps.") var runs: Int = 5
    @Option(help: "Vision layers per view in the cache.") var layers: Int = 4
    @Option(help: "Points of the object.") var points: Int = 100_000
    @Flag(help: "Also train PointAD+'s geometry prompts (4096 geometry points, alignment on 256 anchors).") var geometry = false

    func run() throws {
        ComputeThreads.configure(threads)
        let width = 768, views = 9, side = 24, image = 336, projection = 768
        let encoder = try Self.randomTextEncoder(width: width, heads: 12, blocks: 12, mlp: 3072, projection: projection)
        // "X ×12 object." / "X ×12 damaged object." in OpenAI's BPE (as the tokenizer gives them).
        let x = [Int32](repeating: 343, count: 12)
        let tokens = PromptTokens(ids: [[49406] + x + [14115, 269, 49407], [49406] + x + [13568, 14115, 269, 49407]], contextLength: 12)
        var settings = TrainingSettings()
        settings.batchSize = 1
        settings.trainsGeometryLayer = geometry

        // The cached features of one object, written to and read back from a feature cache.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pointad-train-step-\(getpid())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("features.cache")
        let key = FeatureCacheKey(model: "random ViT-L/14@336", imageSize: image, layers: Array(1...layers), dpamLayer: 20,
                                  renderer: "bench", data: "bench", geometry: geometry ? "bench" : nil)
        let example = try Self.randomExample(views: views, layers: layers, side: side, image: image, width: projection,
                                             points: points, geometry: geometry)
        try FeatureCache.build(at: url, key: key, count: 1, names: ["object"]) { _ in example }
        let cache = try FeatureCache(contentsOf: url)
        let fetch = try medianSeconds(runs: runs) { _ = try cache.example(0) }

        let trainer = try PromptTrainer(encoder: encoder, tokens: tokens, settings: settings)
        let cached = try cache.example(0)
        let cpuBefore = Self.processCPUSeconds()
        let step = try medianSeconds(runs: runs, warmup: 1) { try trainer.step([cached]) }
        // CPU time is what the step costs on an idle machine; wall time also counts waiting for
        // other processes' use of the cores.
        let cpuPerStep = (Self.processCPUSeconds() - cpuBefore) / Double(runs + 1)
        let text = try medianSeconds(runs: runs) {
            let tape = try encoder.forward(tokens: tokens, prompts: trainer.state.rendering)
            _ = try encoder.backward(Tensor(shape: tape.features.shape, repeating: 0.01), tape: tape)
        }
        let total = fetch + step
        print("train step, ViT-L/14@336 sizes, \(ComputeThreads.count) thread(s): 1 object × \(views) views × \(layers) layers × \(side * side) patches, \(points) points\(geometry ? ", PointAD+" : "")")
        print(pad("feature fetch (cache)", 34) + fmt(fetch * 1000, 2) + " ms   (" + fmt(fetch / total * 100, 2) + "% of the step)")
        print(pad("optimisation step", 34) + fmt(step * 1000) + " ms")
        print(pad("  of which text fwd+bwd (×\(geometry ? 2 : 1))", 34) + fmt(text * 1000 * (geometry ? 2 : 1)) + " ms")
        print(pad("time per step (fetch + step)", 34) + fmt(total, 3) + " s   (target ≤ 2 s on 2 cores)")
        print(pad("CPU time per step (all threads)", 34) + fmt(cpuPerStep, 3) + " s   (÷ \(ComputeThreads.count) threads = "
              + fmt(cpuPerStep / Double(ComputeThreads.count), 3) + " s on idle cores; load average " + Self.loadAverage() + ")")
    }

    /// User + system CPU seconds of this process so far.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// The 1-minute load average (other processes competing for the cores).
    static func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.map(String.init) ?? "?"
    }

    static func randomTextEncoder(width: Int, heads: Int, blocks: Int, mlp: Int, projection: Int) throws -> PromptTextEncoder {
        var seed: UInt64 = 1
        func random(_ shape: [Int], scale: Float) -> Tensor {
            seed += 1
            var rng = SeededRandom(seed: seed)
            let t = Tensor(zeros: shape)
            for i in 0..<t.count { t.pointer[i] = (rng.uniform() * 2 - 1) * scale }
            return t
        }
        func linear(_ o: Int, _ i: Int) throws -> FrozenLinear {
            try FrozenLinear(weight: random([o, i], scale: 1 / Float(i).squareRoot()), bias: random([o], scale: 0.02))
        }
        func norm() throws -> LayerNormLayer { try LayerNormLayer(gamma: Tensor(shape: [width], repeating: 1), beta: Tensor(zeros: [width])) }
        let layers = try (0..<blocks).map { _ in
            try TextTransformerBlock(norm1: norm(),
                                     attention: CausalSelfAttention(query: linear(width, width), key: linear(width, width),
                                                                    value: linear(width, width), outProjection: linear(width, width), heads: heads),
                                     norm2: norm(), fc1: linear(mlp, width), fc2: linear(width, mlp))
        }
        return try PromptTextEncoder(tokenEmbedding: random([49408, width], scale: 0.02), positionalEmbedding: random([77, width], scale: 0.01),
                                     blocks: layers, finalNorm: norm(),
                                     projection: FrozenLinear(weight: random([projection, width], scale: 1 / Float(width).squareRoot()), bias: nil))
    }

    static func randomExample(views: Int, layers: Int, side: Int, image: Int, width: Int, points: Int, geometry: Bool) throws -> TrainingExample {
        var rng = SeededRandom(seed: 99)
        let patches = Tensor(zeros: [views * layers * side * side, width])
        for i in 0..<patches.count { patches.pointer[i] = rng.uniform() * 2 - 1 }
        patches.l2NormalizeRows()
        let classes = Tensor(zeros: [views, width])
        for i in 0..<classes.count { classes.pointer[i] = rng.uniform() * 2 - 1 }
        classes.l2NormalizeRows()
        // A square defect in the middle of every view; points visible in about 6 of 9 views.
        let masks = (0..<views).map { _ in (0..<(image * image)).map { p -> UInt8 in abs(p / image - image / 2) < 30 && abs(p % image - image / 2) < 30 ? 1 : 0 } }
        let pixels = (0..<views).map { _ in (0..<points).map { _ in rng.uniform() < 0.67 ? Int32(rng.next() % UInt64(image * image)) : -1 } }
        let labels = (0..<points).map { _ in UInt8(rng.uniform() < 0.05 ? 1 : 0) }
        var geo: GeometryExample?
        if geometry {
            let subset = Array(stride(from: 0, to: points, by: max(points / 4096, 1)).prefix(4096))
            let f = Tensor(zeros: [subset.count, width])
            for i in 0..<f.count { f.pointer[i] = rng.uniform() * 2 - 1 }
            f.l2NormalizeRows()
            geo = try GeometryExample(points: subset, features: f)
        }
        return try TrainingExample(patchTokens: patches.reshaped([views, layers, side * side, width]), classTokens: classes, imageSize: image,
                                   pixelMasks: masks, backProjection: PointBackProjection(pixels: pixels, pixelsPerView: image * image),
                                   pointLabels: labels, objectLabel: 1, geometry: geo)
    }
}
