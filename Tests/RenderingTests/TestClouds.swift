import Foundation
import PointClouds

/// Clouds whose renders have known answers.
enum TestClouds {
    /// An n×n grid on the plane z = `z`, spanning [−half, half]², normals +z.
    static func plane(_ n: Int, half: Float = 1, z: Float = 0) -> PointCloud {
        var points = [SIMD3<Float>]()
        for r in 0..<n {
            for c in 0..<n {
                let x = -half + 2 * half * Float(c) / Float(n - 1), y = -half + 2 * half * Float(r) / Float(n - 1)
                points.append(SIMD3(x, y, z))
            }
        }
        return PointCloud(positions: points, normals: [SIMD3<Float>](repeating: SIMD3(0, 0, 1), count: points.count))
    }

    /// `n` points spread evenly over the unit sphere (Fibonacci lattice), with radial normals.
    static func sphere(_ n: Int) -> PointCloud {
        var points = [SIMD3<Float>]()
        let golden = Double.pi * (3 - 5.0.squareRoot())
        for i in 0..<n {
            let y = 1 - 2 * (Double(i) + 0.5) / Double(n)
            let r = (1 - y * y).squareRoot(), a = golden * Double(i)
            points.append(SIMD3(Float(r * cos(a)), Float(y), Float(r * sin(a))))
        }
        return PointCloud(positions: points, normals: points)
    }

    /// Two clouds joined (positions, normals).
    static func joined(_ a: PointCloud, _ b: PointCloud) -> PointCloud {
        PointCloud(positions: a.positions + b.positions, normals: (a.normals ?? []) + (b.normals ?? []))
    }
}
