import ArgumentParser
import CLIP
import COpenBLAS
import Foundation
import TensorCore

/// Times the vision tower of an existing model folder on `images` random views, for the
/// side-by-side comparison with PyTorch (`Scripts/bench-vs-pytorch.sh`), which times
/// transformers' `CLIPVisionModel` on the same folder. Prints one JSON line: median wall seconds
/// of the batch, and the process CPU seconds per run.
struct VisionBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "vision", abstract: "One model folder's vision tower on N random views: median seconds (JSON).")
    @Option(help: "Hugging Face CLIP model folder (e.g. from `pointad init-model --preset vit-l-14-336 --random`).") var model: String
    @Option(help: "Images per batch.") var images: Int = 9
    @Option(help: "Timed runs (after one untimed).") var runs: Int = 3
    @Option(help: "Vision blocks returned (e.g. 6,12,18,24); empty = plain tower (class embedding only).") var layers: String = ""
    @Option(help: "DPAM layer D (PointAD: 20); omit for the plain tower.") var dpam: Int?
    @Option(help: "Threads (0 = all cores).") var threads: Int = 0

    func run() throws {
        ComputeThreads.configure(threads)
        let vision = try CLIPModel(directory: URL(fileURLWithPath: model), parts: .vision).requireVision()
        let side = vision.configuration.imageSize
        let pixels = Tensor(zeros: [images, 3, side, side])
        fill(pixels, seed: 5)
        let requested = layers.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let cpu0 = cpuSeconds()
        let seconds = try medianSeconds(runs: runs, warmup: 1) {
            _ = try vision.encode(pixels: pixels, layers: requested, dpamLayer: dpam)
        }
        let cpu = (cpuSeconds() - cpu0) / Double(runs + 1)
        print("{\"tool\": \"pointad\", \"images\": \(images), \"threads\": \(ComputeThreads.count), \"seconds\": \(fmt(seconds, 4)), \"cpu_seconds\": \(fmt(cpu, 4)), \"openblas_core\": \"\(String(cString: openblas_get_corename()))\"}")
    }

    func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
