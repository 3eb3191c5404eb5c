import ArgumentParser
import Foundation
import PointADModel
import TensorCore

/// PointAD+'s geometry layer at ViT-L/14@336 sizes (D = 768, 9 views × 24² patches) on a 200k-point
/// grid-shaped cloud, without CLIP: mixture build, aggregation weights, aggregation + scoring.
struct GeometryLayerBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "geometry-layer", abstract: "PointAD+ geometry layer on 200k points (no CLIP).")
    @Option(help: "Threads (0 = all cores).") var threads: Int = 0
    @Option(help: "Grid side (points = side²).") var side: Int = 448
    @Option(help: "Neighbours.") var k: Int = 16

    func run() throws {
        ComputeThreads.configure(threads)
        let n = side * side, d = 768, views = 9, size = 336, grid = 24
        let positions = (0..<n).map { SIMD3<Float>(Float($0 % side), Float($0 / side), 0) }
        // Neighbours: the k nearest grid offsets (exact on a grid interior).
        var offsets: [(Int, Int, Float)] = []
        for dy in -3...3 { for dx in -3...3 { offsets.append((dx, dy, Float(dx * dx + dy * dy))) } }
        offsets.sort { $0.2 < $1.2 }
        var indices = [Int32](), distances = [Float]()
        for j in 0..<n {
            let x = j % side, y = j / side
            var m = 0
            for (dx, dy, dd) in offsets where m < k {
                let xx = min(max(x + dx, 0), side - 1), yy = min(max(y + dy, 0), side - 1)
                indices.append(Int32(yy * side + xx)); distances.append(dd); m += 1
            }
        }
        let hoods = try PointNeighbourhoods(k: k, indices: indices, squaredDistances: distances)
        var rng = SeededRandom(seed: 1)
        let correspondences = try (0..<views).map { v in
            try ViewCorrespondence(imageSize: size, pixels: (0..<n).map { j in
                SIMD2(Int32((j % side) * size / side), Int32((j / side) * size / side)) },
                visible: (0..<n).map { _ in rng.next() % 4 == UInt64(v % 4) })
        }
        let tokens = Tensor(zeros: [views * grid * grid, d])
        for i in 0..<tokens.count { tokens.pointer[i] = rng.uniform() - 0.5 }
        let prompts = try PromptFeatures(embeddings: Tensor(shape: [2, d], values: (0..<(2 * d)).map { _ in rng.uniform() }))
        let layer = GeometryLayer(prompts: prompts, aggregation: GeometryAggregation(neighbours: k))
        let up = BilinearUpsampler(source: grid, target: size)
        var mixture: PatchMixture?
        let tMix = cpuSeconds { mixture = PatchMixture(upsampler: up, correspondences: correspondences) }
        var weights: [Float] = []
        let tW = cpuSeconds { weights = layer.aggregation.weights(positions: positions, normals: nil, neighbourhoods: hoods) }
        let tH = cpuSeconds { _ = mixture!.halfFeatures(tokens: tokens) }
        let tScore = try cpuSeconds { _ = try layer.score(tokens: tokens, mixture: mixture!, weights: weights, neighbourhoods: hoods, positions: positions) }
        let tScore2 = try cpuSeconds { _ = try layer.score(tokens: tokens, mixture: mixture!, weights: weights, neighbourhoods: hoods) }
        print("CPU seconds: features \(fmt(tH * 1000)) ms, score (Morton) \(fmt(tScore * 1000)) ms, score (point order) \(fmt(tScore2 * 1000)) ms")
        print("\(n) points, k = \(k), D = \(d), \(ComputeThreads.count) thread(s); mixture terms \(mixture!.rows.count)")
        print("mixture \(fmt(tMix * 1000)) ms, weights \(fmt(tW * 1000)) ms, aggregate+score \(fmt(tScore * 1000)) ms")
    }
}

/// Process CPU time (all threads) of `body`: robust to other processes sharing the machine.
func cpuSeconds(_ body: () throws -> Void) rethrows -> Double {
    var a = timespec(), b = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a)
    try body()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b)
    return Double(b.tv_sec - a.tv_sec) + Double(b.tv_nsec - a.tv_nsec) / 1e9
}
