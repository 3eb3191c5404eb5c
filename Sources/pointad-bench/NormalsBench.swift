import ArgumentParser
import COpenBLAS
import Foundation
import PointClouds
import TensorCore

/// Normal estimation of a 200k-point scan-like surface (the render bench's), each search bounded by
/// the previous query's reach against the unbounded search of before, in the same run (alternated
/// per run, medians of wall and CPU time), with the normals checked bit for bit.
struct NormalsBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "normals", abstract: "PCA normals of a 200k-point cloud: before/after the reach-bounded search.")
    @Option(help: "Threads (0 = all cores).") var threads: Int = 0
    @Option(help: "Points (a square height field of about this many, 1 unit across).") var points: Int = 200_000
    @Option(help: "Timed runs of each variant.") var runs: Int = 5

    func run() throws {
        ComputeThreads.configure(threads)
        let cloud = PointCloud(positions: RenderBench.heightField(points: points).positions)
        print("processor: \(processorName()); OpenBLAS core \(String(cString: openblas_get_corename())); \(ComputeThreads.count) thread(s); load average \(TrainStepBench.loadAverage())")
        print("\(cloud.count) points; median of \(runs) alternated runs")
        print(pad("search", 30) + pad("before ms", 11) + pad("after ms", 10) + pad("before CPU s", 14) + pad("after CPU s", 13) + pad("speed-up", 10) + "identical")
        let settings: [(String, Float, Int)] = [("30-NN (render default)", .infinity, 30), ("MVTec r 0.1 / 50", 0.1, 50), ("Real3D r 0.8 / 30", 0.8, 30)]
        for (name, radius, k) in settings {
            var wall: [[Double]] = [[], []], cpu: [[Double]] = [[], []]
            var results: [[SIMD3<Float>]] = [[], []]
            for _ in 0..<max(runs, 1) {
                for (v, reuse) in [false, true].enumerated() {
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    cpu[v].append(cpuSeconds { results[v] = cloud.estimatedNormals(radius: radius, maxNeighbors: k, threads: ComputeThreads.count, reuseReach: reuse) })
                    wall[v].append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
                }
            }
            let median = { (xs: [Double]) in xs.sorted()[xs.count / 2] }
            let identical = zip(results[0], results[1]).allSatisfy { $0.x.bitPattern == $1.x.bitPattern && $0.y.bitPattern == $1.y.bitPattern && $0.z.bitPattern == $1.z.bitPattern }
            print(pad(name, 30) + pad(fmt(median(wall[0]) * 1000), 11) + pad(fmt(median(wall[1]) * 1000), 10)
                  + pad(fmt(median(cpu[0]), 3), 14) + pad(fmt(median(cpu[1]), 3), 13)
                  + pad(fmt(median(cpu[0]) / median(cpu[1]), 2) + "×", 10) + (identical ? "yes" : "NO"))
        }
    }
}
