import ArgumentParser
import Foundation
import PointClouds
import TensorCore

/// Point cloud I/O and geometry at scan sizes: PLY parse (binary, ascii), PCD, k-d tree build,
/// 16-NN for every point, normals, voxel and farthest-point downsampling.
struct IOBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "io", abstract: "PLY/PCD parsing, k-d tree build and kNN, normals, downsampling.")
    @Option(help: "Points in the test cloud.") var points: Int = 1_000_000
    @Option(help: "Threads for the tree and queries (0 = all cores).") var threads: Int = 0
    @Option(help: "Timed runs per case.") var runs: Int = 5
    @Option(help: "k-d tree leaf size.") var leafSize: Int = 16

    func run() throws {
        // A scan-like cloud: uniform in a unit cube, with normals and colours (27 bytes per PLY row).
        var rng = SeededRandom(seed: 7)
        let n = points
        let positions = (0..<n).map { _ in SIMD3(rng.uniform(), rng.uniform(), rng.uniform()) }
        let normals = (0..<n).map { _ in SIMD3(rng.uniform() - 0.5, rng.uniform() - 0.5, rng.uniform() - 0.5) }
        let colors = (0..<n).map { _ in SIMD3(rng.uniform(), rng.uniform(), rng.uniform()) }
        let cloud = PointCloud(positions: positions, normals: normals, colors: colors)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pointad-iobench-\(getpid())")
        defer { try? FileManager.default.removeItem(at: directory) }
        print("\(n) points (x y z nx ny nz float + rgb uchar), \(ProcessInfo.processInfo.activeProcessorCount) cores")
        print("CPU = process CPU seconds (user + system), which a busy machine inflates less than wall time")
        print(pad("case", 26) + pad("wall", 10) + pad("CPU", 10))

        for (name, url, write) in [
            ("PLY binary", directory.appendingPathComponent("b.ply"), { (u: URL) in try PLYWriter.write(cloud, to: u) }),
            ("PLY ascii", directory.appendingPathComponent("a.ply"), { (u: URL) in try PLYWriter.write(cloud, to: u, encoding: .ascii) }),
            ("PCD binary", directory.appendingPathComponent("b.pcd"), { (u: URL) in try PCDWriter.write(cloud, to: u) }),
            ("PCD ascii", directory.appendingPathComponent("a.pcd"), { (u: URL) in try PCDWriter.write(cloud, to: u, encoding: .ascii) }),
        ] as [(String, URL, (URL) throws -> Void)] {
            try write(url)
            let bytes = Double(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as! Int)
            let (t, cpu) = try timed(runs: runs) { _ = try PointCloudFile.read(url) }
            print(pad("read \(name)", 26) + pad(fmt(t, 3) + " s", 10) + pad(fmt(cpu, 3) + " s", 10) + fmt(bytes / t / 1e6) + " MB/s  (\(fmt(bytes / 1e6)) MB)")
        }

        func report(_ name: String, _ result: (Double, Double)) {
            print(pad(name, 26) + pad(fmt(result.0, 3) + " s", 10) + fmt(result.1, 3) + " s")
        }
        report("k-d tree build", timed(runs: runs) { _ = KDTree(positions, leafSize: leafSize, threads: threads) })
        let tree = KDTree(positions, leafSize: leafSize, threads: threads)
        report("16-NN of every point", timed(runs: max(1, runs / 2)) { _ = tree.neighborsOfAllPoints(k: 16, threads: threads) })
        report("normals (r 0.05, ≤30 nn)", timed(runs: 1) { _ = cloud.estimatedNormals(radius: 0.05, maxNeighbors: 30, threads: threads) })
        report("voxel downsample 0.02", timed(runs: 1) { _ = cloud.voxelDownsampled(voxelSize: 0.02) })
        report("FPS → 112,896 (PointAD)", timed(runs: 1) { _ = cloud.farthestPointSampleIndices(112_896) })
    }
}

/// Median wall time and the matching process CPU time (user + system) of `runs` calls.
func timed(runs: Int = 5, _ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
    var samples: [(Double, Double)] = []
    try body()
    for _ in 0..<max(runs, 1) {
        let c0 = processCPUSeconds(), t0 = DispatchTime.now().uptimeNanoseconds
        try body()
        samples.append((Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9, processCPUSeconds() - c0))
    }
    samples.sort { $0.0 < $1.0 }
    return samples[samples.count / 2]
}

func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}
