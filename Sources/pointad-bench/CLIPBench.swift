import ArgumentParser
import CLIP
import COpenBLAS
import Dispatch
import Foundation
import TensorCore

/// The CLIP vision tower at PointAD's size: a random-weight ViT-L/14@336 written in the real
/// Hugging Face layout (vision tensors only), memory-mapped back, and timed on one 336×336 image
/// and on nine views batched, with PointAD's settings (layers 6, 12, 18, 24, DPAM layer 20).
/// Prints seconds per image, GFLOP/s counting the model's FLOPs, the sgemm rate measured in the
/// same process for comparison, and peak RSS against the weights' size.
struct CLIPBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "clip", abstract: "ViT-L/14@336 vision tower: s/image, GFLOP/s vs sgemm, peak RSS.")
    @Option(help: "Threads (0 = all cores).") var threads: Int = 0
    @Option(help: "Timed runs of the single image.") var runs: Int = 3
    @Option(help: "Timed runs of the nine-view batch.") var batchRuns: Int = 1
    @Option(help: "Folder for the generated model (default: a temporary folder, removed afterwards).") var modelDirectory: String?

    func run() throws {
        ComputeThreads.configure(threads)
        let config = CLIPConfiguration.vitL14at336
        let directory = modelDirectory.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("pointad-clip-bench-\(getpid())")
        defer { if modelDirectory == nil { try? FileManager.default.removeItem(at: directory) } }
        let t0 = DispatchTime.now().uptimeNanoseconds
        let weightBytes = try Self.writeRandomModel(config, parts: .vision, to: directory)
        let written = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        print("ViT-L/14@336 vision tower, random weights: \(fmt(Double(weightBytes) / 1e9, 2)) GB written in \(fmt(written)) s; \(ComputeThreads.count) thread(s)")
        print("processor: \(processorName()); OpenBLAS core \(String(cString: openblas_get_corename())); kernels: \(KernelDispatch.description)")

        let model = try CLIPModel(directory: directory, parts: .vision)
        let vision = try model.requireVision()
        let layers = [6, 12, 18, 24], dpam = 20
        var sgemmRates: [Double] = []
        print("each rate is compared with the sgemm rate (577x1024 · 1024x4096) measured right before and after it, as the machine is shared")
        for (label, images, runs) in [("1 image", 1, runs), ("9 views batched", 9, batchRuns)] {
            let pixels = Tensor(zeros: [images, 3, 336, 336])
            fill(pixels, seed: 5)
            let cases: [(String, [Int], Int?, Int)] = [("plain", [], nil, 0), ("PointAD (layers 6,12,18,24, DPAM 20)", layers, dpam, dpam - 1)]
            for (name, requested, dpamLayer, dpamBlocks) in cases {
                let before = sgemmRate()
                let seconds = try medianSeconds(runs: runs, warmup: images == 1 ? 1 : 0) {
                    _ = try vision.encode(pixels: pixels, layers: requested, dpamLayer: dpamLayer)
                }
                let sgemm = (before + sgemmRate()) / 2
                sgemmRates.append(sgemm)
                let flops = Self.flops(config, images: images, layers: requested, dpamBlocks: dpamBlocks)
                let rate = flops / seconds / 1e9
                print("\(pad(label, 16)) \(pad(name, 38)) \(fmt(seconds / Double(images), 3)) s/image  \(fmt(flops / Double(images) / 1e9)) GFLOP/image  \(fmt(rate)) GFLOP/s = \(fmt(rate / sgemm * 100))% of sgemm (\(fmt(sgemm)) GFLOP/s)")
            }
        }
        let rss = peakRSSBytes()
        print("sgemm rates seen: \(sgemmRates.map { fmt($0) }.joined(separator: ", ")) GFLOP/s")
        print("peak RSS \(fmt(Double(rss) / 1e9, 2)) GB = \(fmt(Double(rss) / Double(weightBytes), 2)) × the weights (\(fmt(Double(weightBytes) / 1e9, 2)) GB)")
    }

    /// The multiply-adds × 2 the tower performs: patch embedding, per block QKV, attention, output
    /// projection and MLP; DPAM blocks add the value–value attention and a second output
    /// projection; each requested layer adds a projection of every token, plus the class-token
    /// projection. The last block's original path runs for the class token only (its other tokens
    /// are read by no output in either configuration), so its query, attention, output projection
    /// and MLP count one row, not `tokens`: the rate is of work done, not of work skipped.
    static func flops(_ c: CLIPConfiguration, images: Int, layers: [Int], dpamBlocks: Int) -> Double {
        let v = c.vision, t = Double(v.tokens), d = Double(v.hiddenSize), i = Double(v.intermediateSize), p = Double(c.projectionDim)
        let patches = t - 1, k = Double(v.channels * v.patchSize * v.patchSize)
        func block(queries q: Double) -> Double {
            2 * q * d * d + 2 * t * d * 2 * d + 2 * 2 * q * t * d + 2 * q * d * d + 2 * 2 * q * d * i
        }
        let dpamExtra = 2 * 2 * t * t * d + 2 * t * d * d
        let perImage = 2 * patches * k * d + Double(v.layers - 1) * block(queries: t) + block(queries: 1) + Double(dpamBlocks) * dpamExtra
            + Double(layers.count) * 2 * t * d * p + 2 * d * p
        return perImage * Double(images)
    }

    func sgemmRate() -> Double {
        let m = 577, n = 4096, k = 1024
        let a = Tensor(zeros: [m, k]), b = Tensor(zeros: [k, n]), c = Tensor(zeros: [m, n])
        fill(a, seed: 1); fill(b, seed: 2)
        let s = medianSeconds(runs: 7) { _ = try? a.matmul(b, into: c) }
        return 2 * Double(m * n * k) / s / 1e9
    }

    /// Writes config.json and model.safetensors (the `parts` towers) with random weights of
    /// realistic scale; returns the safetensors size in bytes.
    static func writeRandomModel(_ config: CLIPConfiguration, parts: CLIPModel.Parts, to directory: URL) throws -> Int {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try config.huggingFaceJSON().write(to: directory.appendingPathComponent("config.json"))
        var writer = SafetensorsWriter(metadata: ["format": "pt"])
        var seed: UInt64 = 1
        for spec in config.tensorLayout(parts) {
            seed += 1
            let s = seed, fanIn = spec.shape.count >= 2 ? spec.shape.dropFirst().reduce(1, *) : 1
            try writer.add(spec.name, shape: spec.shape) { buffer in
                var rng = SeededRandom(seed: s)
                let base: Float, spread: Float
                switch spec.role {
                case .weight: (base, spread) = (0, 1 / Float(fanIn).squareRoot())
                case .layerNormScale: (base, spread) = (1, 0.1)
                case .layerNormShift, .bias: (base, spread) = (0, 0.02)
                case .embedding: (base, spread) = (0, 0.02)
                case .logitScale: (base, spread) = (4.6052, 0)
                }
                for i in 0..<buffer.count { buffer[i] = base + spread * (2 * rng.uniform() - 1) }
            }
        }
        let url = directory.appendingPathComponent("model.safetensors")
        try writer.write(to: url)
        return (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    }
}
