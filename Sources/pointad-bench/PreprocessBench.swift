import ArgumentParser
import Foundation
import PointClouds

/// MVTec 3D-AD preprocessing of one 800×800 scan (~640k cells): a tilted table at 0.15 mm pixel
/// pitch, a dome of ~200k points on it, 2% dropouts; the whole `BTFPreprocessing.apply` (edge-band
/// RANSAC, plane removal, padding, DBSCAN), and the RANSAC and DBSCAN steps alone.
struct PreprocessBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "preprocess", abstract: "MVTec 3D-AD preprocessing of an 800×800 scan.")

    @Option(help: "Workers (0 = all cores).") var threads: Int = 0
    @Option(help: "Timed runs (median).") var runs: Int = 5

    func run() throws {
        let side = 800, pitch: Float = 0.00015
        var xyz = XYZImage(width: side, height: side)
        var state: UInt64 = 1
        func uniform() -> Float { state = state &* 6364136223846793005 &+ 1442695040888963407; return Float(state >> 40) / Float(1 << 24) }
        let domeRadius = Float(252) * pitch
        for y in 0..<side {
            for x in 0..<side where uniform() >= 0.02 {
                let px = (Float(x) - 400) * pitch, py = (Float(y) - 400) * pitch
                var z = 0.4 + 0.1 * px - 0.05 * py + (uniform() - 0.5) * 0.0004
                let r2 = px * px + py * py
                if r2 < domeRadius * domeRadius { z -= (domeRadius * domeRadius - r2).squareRoot() * 0.5 }
                xyz[x, y] = SIMD3(px, py, z)
            }
        }
        let scan = OrganizedScan(xyz: xyz)
        let job = BTFPreprocessing(threads: threads)
        let (_, report) = try job.apply(scan)
        let edge = job.edgePoints(xyz)
        let objectPoints = report.keptPoints
        var survivors: [SIMD3<Float>] = []
        for i in xyz.validPixelIndices {
            let p = SIMD3(xyz.values[3 * i], xyz.values[3 * i + 1], xyz.values[3 * i + 2])
            if report.plane!.distance(p) >= job.removalThreshold { survivors.append(p) }
        }
        let whole = try medianSeconds(runs: runs, warmup: 1) { _ = try job.apply(scan) }
        let ransac = medianSeconds(runs: runs, warmup: 1) { _ = job.plane.fit(edge) }
        let dbscan = medianSeconds(runs: runs, warmup: 1) {
            _ = DensityClustering.dbscan(survivors, eps: job.clusterRadius, minPoints: job.clusterMinPoints, threads: threads)
        }
        print("preprocess 800x800: \(xyz.validPixelIndices.count) valid points, \(edge.count) edge points, \(survivors.count) off the plane, \(objectPoints) kept")
        print("  whole apply      \(fmt(whole * 1000)) ms")
        print("  RANSAC (1000×50) \(fmt(ransac * 1000)) ms")
        print("  DBSCAN           \(fmt(dbscan * 1000)) ms")
    }
}
