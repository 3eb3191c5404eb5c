import Dispatch
import Foundation

/// RANSAC plane segmentation as Open3D's `segment_plane(distance_threshold, ransac_n,
/// num_iterations)`: each iteration fits a least-squares plane to `sampleSize` distinct random
/// points and counts the points closer than the threshold; the best draw is the one with most
/// inliers (then the smallest inlier RMSE); its inliers are collected and the plane is refitted to
/// all of them by least squares, as Open3D does last.
///
/// The draws are seeded (SplitMix64), so a scan gives the same plane on every run and machine.
/// Open3D's own random draws cannot be reproduced, but the final refit over every inlier makes the
/// result depend on the draw only through which inlier set wins, which for a table seen in the
/// edge band is the same set for practically every good draw. Unlike Open3D we evaluate all
/// iterations (no early stop), in parallel, and break ties by iteration number, so the result does
/// not depend on the thread count.
public struct PlaneRANSAC: Sendable {
    public var distanceThreshold: Double
    public var sampleSize: Int
    public var iterations: Int
    public var seed: UInt64
    /// Workers (0 = all cores).
    public var threads: Int

    public init(distanceThreshold: Double = 0.004, sampleSize: Int = 50, iterations: Int = 1000, seed: UInt64 = 0, threads: Int = 0) {
        self.distanceThreshold = distanceThreshold
        self.sampleSize = sampleSize
        self.iterations = iterations
        self.seed = seed
        self.threads = threads
    }

    public struct Result: Sendable {
        public var plane: PlaneModel
        /// Indices of the points within the threshold of the refitted plane's parent draw.
        public var inliers: [Int]
    }

    /// The plane, or nil when there are fewer than `sampleSize` points or every draw is degenerate.
    public func fit(_ points: [SIMD3<Float>]) -> Result? {
        let n = points.count
        guard n >= max(3, sampleSize), iterations > 0 else { return nil }
        var xs = [Double](repeating: 0, count: n), ys = xs, zs = xs
        for (i, p) in points.enumerated() { xs[i] = Double(p.x); ys[i] = Double(p.y); zs[i] = Double(p.z) }
        let draws = drawSamples(count: n)
        let threshold = distanceThreshold, k = sampleSize
        let workers = max(1, min(threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount, iterations))
        var bests = [Candidate?](repeating: nil, count: workers)
        xs.withUnsafeBufferPointer { xp in ys.withUnsafeBufferPointer { yp in zs.withUnsafeBufferPointer { zp in
            draws.withUnsafeBufferPointer { dp in
                bests.withUnsafeMutableBufferPointer { bp in
                    let shared = UncheckedBox((xp.baseAddress!, yp.baseAddress!, zp.baseAddress!, dp.baseAddress!, bp.baseAddress!))
                    let total = iterations
                    DispatchQueue.concurrentPerform(iterations: workers) { w in
                        let (x, y, z, d, out) = shared.value
                        var best: Candidate?
                        for iteration in (total * w / workers)..<(total * (w + 1) / workers) {
                            let sample = UnsafeBufferPointer(start: d + iteration * k, count: k)
                            guard let plane = PlaneModel.leastSquares(xs: x, ys: y, zs: z, indices: sample) else { continue }
                            let (inliers, squaredError) = Self.count(plane, x, y, z, n, threshold)
                            guard inliers > 0 else { continue }
                            let candidate = Candidate(iteration: iteration, plane: plane, inliers: inliers,
                                                      rmse: (squaredError / Double(inliers)).squareRoot())
                            if best.map({ candidate.isBetter(than: $0) }) ?? true { best = candidate }
                        }
                        out[w] = best
                    }
                }
            }
        } } }
        guard let winner = bests.compactMap({ $0 }).min(by: { $0.isBetter(than: $1) }) else { return nil }
        var inliers: [Int] = []
        for i in 0..<n where abs(winner.plane.signedDistance(xs[i], ys[i], zs[i])) < threshold { inliers.append(i) }
        let indices = inliers.map { Int32($0) }
        let refitted = xs.withUnsafeBufferPointer { xp in ys.withUnsafeBufferPointer { yp in zs.withUnsafeBufferPointer { zp in
            indices.withUnsafeBufferPointer { PlaneModel.leastSquares(xs: xp.baseAddress!, ys: yp.baseAddress!, zs: zp.baseAddress!, indices: $0) }
        } } }
        return Result(plane: refitted ?? winner.plane, inliers: inliers)
    }

    /// Points closer than `threshold` to `plane`, and the sum of their squared distances; four
    /// lanes at a time (a scalar floating-point sum would not be vectorised).
    @inline(__always)
    static func count(_ plane: PlaneModel, _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ z: UnsafePointer<Double>,
                      _ n: Int, _ threshold: Double) -> (Int, Double) {
        let a = SIMD4<Double>(repeating: plane.a), b = SIMD4<Double>(repeating: plane.b)
        let c = SIMD4<Double>(repeating: plane.c), d = SIMD4<Double>(repeating: plane.d)
        let t = SIMD4<Double>(repeating: threshold)
        let zero = SIMD4<Double>(repeating: 0), one = SIMD4<Int64>(repeating: 1), none = SIMD4<Int64>(repeating: 0)
        var counts = SIMD4<Int64>(repeating: 0), sums = SIMD4<Double>(repeating: 0)
        var i = 0
        while i + 4 <= n {
            let xv = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD4<Double>.self)
            let yv = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD4<Double>.self)
            let zv = UnsafeRawPointer(z + i).loadUnaligned(as: SIMD4<Double>.self)
            var signed: SIMD4<Double> = a * xv
            signed += b * yv
            signed += c * zv
            signed += d
            let e: SIMD4<Double> = signed.replacing(with: -signed, where: signed .< zero)
            let inside: SIMDMask<SIMD4<Int64>> = e .< t
            counts &+= none.replacing(with: one, where: inside)
            let squared: SIMD4<Double> = e * e
            sums += squared.replacing(with: zero, where: .!inside)
            i += 4
        }
        var inliers = Int(counts.wrappedSum()), squaredError = sums.sum()
        while i < n {
            let e = abs(plane.signedDistance(x[i], y[i], z[i]))
            if e < threshold { inliers += 1; squaredError += e * e }
            i += 1
        }
        return (inliers, squaredError)
    }

    /// `iterations` draws of `sampleSize` distinct indices in [0, count), row after row.
    func drawSamples(count: Int) -> [Int32] {
        var state = seed
        var result = [Int32](repeating: 0, count: iterations * sampleSize)
        for iteration in 0..<iterations {
            let row = iteration * sampleSize
            var filled = 0
            while filled < sampleSize {
                let candidate = Int32(truncatingIfNeeded: Int(splitMix64(&state) % UInt64(count)))
                // Rejection keeps the draw distinct; sampleSize is tiny next to the point count.
                if !result[row..<(row + filled)].contains(candidate) {
                    result[row + filled] = candidate
                    filled += 1
                }
            }
        }
        return result
    }

    struct Candidate {
        var iteration: Int
        var plane: PlaneModel
        var inliers: Int
        var rmse: Double

        func isBetter(than other: Candidate) -> Bool {
            if inliers != other.inliers { return inliers > other.inliers }
            if rmse != other.rmse { return rmse < other.rmse }
            return iteration < other.iteration
        }
    }
}

/// SplitMix64 (Steele, Lea & Flood): a small, fast, seedable generator.
@inline(__always) func splitMix64(_ state: inout UInt64) -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}
