import ArgumentParser
import CLIP
import COpenBLAS
import Dispatch
import Foundation
import Imaging
import PointADSupport
import Synthesis
import TensorCore

/// Issue 14's target: loading OpenAI's ViT-L/14@336 `.pt` adds ≤ 20% to a one-image `embed` from
/// safetensors, and peak memory stays ≤ 1.3× the weights. Writes one random-weight model three
/// ways — a Hugging Face safetensors folder, and OpenAI-layout `.pt` files in float32 and float16
/// holding the same values — then runs `pointad embed` on one image from each as separate
/// processes, in alternating order over several rounds (the machine is shared), after one
/// untimed run each so that every file is in the page cache (warm-cache figures). Reports median
/// wall and CPU time, the per-round ratio to safetensors, and each child's peak RSS, and checks
/// that the float32 `.pt` gives bit-identical embeddings.
struct PtLoadBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pt-load",
        abstract: "OpenAI .pt vs safetensors: one-image `pointad embed` time and peak RSS, in child processes.")
    @Option(help: "Timed rounds (each runs every file once, in rotating order).") var rounds: Int = 5
    @Option(help: "Threads for the children (0 = all cores).") var threads: Int = 0
    @Option(help: "Model size: \(CLIPPreset.allCases.map(\.rawValue).joined(separator: ", ")).") var preset: String = CLIPPreset.vitL14at336.rawValue
    @Flag(help: "Skip the float16 .pt (OpenAI's own files are float16).") var noFloat16 = false
    @Option(help: "Folder for the model files, kept and reused when present (default: a temporary folder, removed afterwards).") var directory: String?
    @Option(help: "The pointad executable (default: the one beside pointad-bench).") var pointad: String?

    func validate() throws {
        guard CLIPPreset(rawValue: preset) != nil else { throw ValidationError("unknown --preset '\(preset)'") }
        guard rounds >= 1 else { throw ValidationError("--rounds must be ≥ 1") }
    }

    struct Case {
        let label: String
        let model: URL
        /// The weights' bytes on disk.
        let bytes: Int
        var runs: [ChildRun] = []
    }

    func run() throws {
        let preset = CLIPPreset(rawValue: preset)!
        let configuration = preset.configuration
        let keep = directory != nil
        let folder = directory.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("pointad-pt-load-\(getpid())")
        defer { if !keep { try? FileManager.default.removeItem(at: folder) } }
        let executable = pointad ?? Self.besideThisExecutable("pointad")
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw ValidationError("no pointad executable at \(executable) (build it: swift build -c release, or pass --pointad)")
        }

        // The same weights three ways (seed 0); reused when a kept folder already has them.
        let seed: UInt64 = 0
        let huggingFace = folder.appendingPathComponent("hf")
        if !FileManager.default.fileExists(atPath: huggingFace.appendingPathComponent("model.safetensors").path) {
            FileHandle.standardError.write(Data("writing the Hugging Face folder …\n".utf8))
            try RandomCLIPFolder.write(preset: preset, seed: seed, to: huggingFace)
        }
        var cases = [Case(label: "safetensors folder", model: huggingFace, bytes: try Self.size(huggingFace.appendingPathComponent("model.safetensors")))]
        for dtype in noFloat16 ? [TorchDType.float32] : [.float32, .float16] {
            let url = folder.appendingPathComponent("openai-\(dtype.displayName).pt")
            if !FileManager.default.fileExists(atPath: url.path) {
                let progress = ProgressReporter("writing \(url.lastPathComponent)", total: RandomOpenAICLIPWeights.tensorCount(configuration: configuration))
                try RandomOpenAICLIPWeights.write(configuration: configuration, seed: seed, dtype: dtype, to: url, progress: progress)
            }
            cases.append(Case(label: "OpenAI .pt \(dtype.displayName)", model: url, bytes: try Self.size(url)))
        }
        let image = folder.appendingPathComponent("image.png")
        try Self.writeTestImage(size: configuration.vision.imageSize, to: image)

        print("\(preset.rawValue), random weights; one-image `pointad embed` (vision tower only) per child process; \(threads == 0 ? "all" : String(threads)) thread(s) of \(ProcessInfo.processInfo.activeProcessorCount) cores")
        print("processor: \(processorName()); OpenBLAS core \(String(cString: openblas_get_corename())); kernels: \(KernelDispatch.description)")
        print("warm page cache: every file is run once untimed first; then \(rounds) rounds, each running every file once in rotating order")

        func embed(_ index: Int, _ tag: String) throws -> ChildRun {
            var arguments = [executable, "embed", "--model", cases[index].model.path, "--image", image.path,
                             "--output", folder.appendingPathComponent("embeds-\(index).safetensors").path]
            if threads > 0 { arguments += ["--threads", String(threads)] }
            return try ChildRun.run(arguments, log: folder.appendingPathComponent("embed-\(index)-\(tag).log"))
        }
        for i in cases.indices { _ = try embed(i, "warm") }
        for round in 0..<rounds {
            for k in cases.indices {
                let i = (k + round) % cases.count
                cases[i].runs.append(try embed(i, String(round)))
            }
        }

        let reference = cases[0]
        let weights = reference.bytes
        print("")
        print(pad("model file", 22) + pad("size", 9) + pad("wall (median)", 15) + pad("CPU (median)", 14) + pad("wall ÷ safetensors", 20)
              + pad("CPU ÷ safetensors", 19) + "peak RSS (max), ÷ float32 weights (\(fmt(Double(weights) / 1e9, 2)) GB)")
        for c in cases {
            let wallRatio = median(zip(c.runs, reference.runs).map { $0.wallSeconds / $1.wallSeconds })
            let cpuRatio = median(zip(c.runs, reference.runs).map { $0.cpuSeconds / $1.cpuSeconds })
            let rss = c.runs.map(\.peakRSSBytes).max()!
            print(pad(c.label, 22) + pad(fmt(Double(c.bytes) / 1e9, 2) + " GB", 9) + pad(fmt(median(c.runs.map(\.wallSeconds)), 2) + " s", 15)
                  + pad(fmt(median(c.runs.map(\.cpuSeconds)), 2) + " s", 14) + pad(fmt(wallRatio, 3), 20) + pad(fmt(cpuRatio, 3), 19)
                  + "\(fmt(Double(rss) / 1e9, 2)) GB = \(fmt(Double(rss) / Double(weights), 2))×")
        }
        print("(ratios: median over rounds of each round's time ÷ the safetensors time in the same round)")

        // The embeddings must not depend on the file format (float32 exactly; float16 rounded).
        let expected = try SafetensorsFile(contentsOf: folder.appendingPathComponent("embeds-0.safetensors")).tensor("image_embeds").toArray()
        for i in cases.indices.dropFirst() {
            let got = try SafetensorsFile(contentsOf: folder.appendingPathComponent("embeds-\(i).safetensors")).tensor("image_embeds").toArray()
            let scale = expected.map(abs).max() ?? 1
            let worst = zip(got, expected).map { abs($0 - $1) }.max() ?? 0
            print("\(cases[i].label): image_embeds \(got == expected ? "bit-identical to safetensors" : "max |Δ| \(String(format: "%.2e", worst)) (\(String(format: "%.2e", worst / scale)) of max |x|)")")
            if cases[i].label.hasSuffix("float32"), got != expected { throw BenchError("the float32 .pt gives different embeddings from the same weights in safetensors") }
        }

        // Loading alone, in this process: open the file and build the vision tower.
        print("")
        print("in-process load of the vision tower (open + build, median of 3, warm cache):")
        for c in cases {
            let seconds = try medianSeconds(runs: 3, warmup: 1) { _ = try CLIPModel(directory: c.model, parts: .vision) }
            print("  " + pad(c.label, 22) + fmt(seconds, 3) + " s")
        }
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    static func size(_ url: URL) throws -> Int { try FileManager.default.attributesOfItem(atPath: url.path)[.size] as! Int }

    /// A smooth colour pattern (a real-looking input; the values do not matter for timing).
    static func writeTestImage(size: Int, to url: URL) throws {
        var bytes = [UInt8](repeating: 0, count: size * size * 3)
        for y in 0..<size {
            for x in 0..<size {
                let i = (y * size + x) * 3
                bytes[i] = UInt8(x * 255 / max(size - 1, 1))
                bytes[i + 1] = UInt8(y * 255 / max(size - 1, 1))
                bytes[i + 2] = UInt8((x + y) % 256)
            }
        }
        try PNGFile.write(bytes: bytes, width: size, height: size, channels: 3, to: url)
    }

    /// `name` in the folder of the running executable (`/proc/self/exe`).
    static func besideThisExecutable(_ name: String) -> String {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent(name).path
    }
}
