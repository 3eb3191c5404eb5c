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

        for (name, url, write) in [
            ("PLY binary", directory.appendingPathComponent("b.ply"), { (u: URL) in try PLYWriter.write(cloud, to: u) }),
            ("PLY ascii", directory.appendingPathComponent("a.ply"), { (u: URL) in try PLYWriter.write(cloud, to: u, encoding: .ascii) }),
            ("PCD binary", directory.appendingPathComponent("b.pcd"), { (u: URL) in try PCDWriter.write(cloud, to: u) }),
            ("PCD ascii", directory.appendingPathComponent("a.pcd"), { (u: URL) in try PCDWriter.write(cloud, to: u, encoding: .ascii) }),
        ] as [(String, URL, (URL) throws -> Void)] {
            try write(url)
            let bytes = Double(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as! Int)
            let t = try medianSeconds(runs: runs, warmup: 1) { _ = try PointCloudFile.read(url) }
            print(pad("read \(name)", 24) + pad(fmt(t, 3) + " s", 12) + fmt(bytes / t / 1e6) + " MB/s  (\(fmt(bytes / 1e6)) MB)")
        }

        let build = medianSeconds(runs: runs, warmup: 1) { _ = KDTree(positions, threads: threads) }
        print(pad("k-d tree build", 24) + fmt(build, 3) + " s")
        let tree = KDTree(positions, threads: threads)
        let knn = medianSeconds(runs: max(1, runs / 2), warmup: 1) { _ = tree.neighborsOfAllPoints(k: 16, threads: threads) }
        print(pad("16-NN of every point", 24) + fmt(knn, 3) + " s")
        let normalTime = medianSeconds(runs: 1, warmup: 0) { _ = cloud.estimatedNormals(radius: 0.05, maxNeighbors: 30, threads: threads) }
        print(pad("normals (r 0.05, 30-NN)", 24) + fmt(normalTime, 3) + " s")
        let voxel = medianSeconds(runs: 1, warmup: 0) { _ = cloud.voxelDownsampled(voxelSize: 0.02) }
        print(pad("voxel downsample 0.02", 24) + fmt(voxel, 3) + " s")
        let small = PointCloud(positions: Array(positions.prefix(200_000)))
        let fps = medianSeconds(runs: 1, warmup: 0) { _ = small.farthestPointSampleIndices(10_000) }
        print(pad("FPS 200k → 10k", 24) + fmt(fps, 3) + " s")
    }
}
