import Foundation
import PointADSupport
import PointClouds
import TensorCore

/// Real3D-AD's point count as `multiview_real3d.py` makes it (dossier §2.6): every cloud is brought
/// to 336² = 112,896 points so that its point list fills the 336×336 score map.
///
/// - Fewer points: for each point and each of its 3 nearest other points, new points at 0.25, 0.5
///   and 0.75 along the segment (label of the nearer end); a seeded random subset of them, without
///   replacement, tops the cloud up to the target, or all of them when there are too few (a
///   cloud under 11,290 points ends with 10·N). The input's points come first, in order.
/// - More points: farthest-point sampling from a seeded random start.
///
/// The reference draws unseeded; here the same seed gives the same points.
public struct Real3DResampling: Sendable {
    public var target: Int
    public var seed: UInt64

    public init(target: Int = 336 * 336, seed: UInt64 = 0) {
        self.target = target
        self.seed = seed
    }

    /// The resampled cloud, its labels (when given), and for every input point the index of the
    /// resampled point that stands for it (itself when kept, else the nearest sample).
    public struct Result: Sendable {
        public var positions: [SIMD3<Float>]
        public var labels: [Float]?
        public var inputSample: [Int]
        /// For every resampled point, the input point whose label it carries: itself when kept
        /// (or picked by farthest-point sampling), the nearer end of its segment when made (a
        /// ratio ≤ 0.5 counts as the start), as `interpolation_points_with_gt_colors` labels them.
        public var labelSources: [Int]

        /// `labels` of the input points carried to the resampled points.
        public func carried<Label>(_ labels: [Label]) -> [Label] { labelSources.map { labels[$0] } }
    }

    public static let ratios: [Float] = [0.25, 0.5, 0.75]

    public func resample(_ positions: [SIMD3<Float>], labels: [Float]? = nil) throws -> Result {
        guard target >= 1 else { throw UsageError("resampling target must be ≥ 1, got \(target)") }
        if let labels, labels.count != positions.count {
            throw UsageError("resampling: \(labels.count) labels for \(positions.count) points")
        }
        let n = positions.count
        if n == target || n == 0 {
            return Result(positions: positions, labels: labels, inputSample: Array(0..<n), labelSources: Array(0..<n))
        }
        return n < target ? upsample(positions, labels: labels) : farthestPoints(positions, labels: labels)
    }

    private func upsample(_ positions: [SIMD3<Float>], labels: [Float]?) -> Result {
        let n = positions.count, perPoint = 3 * Self.ratios.count
        // Neighbours 1…3 of each point (0 is the point itself, as scikit-learn's 4-NN query).
        let table = KDTree(positions, threads: ComputeThreads.count).neighborsOfAllPoints(k: 4, threads: ComputeThreads.count)
        let candidates = n * perPoint, wanted = min(target - n, candidates)
        // A seeded partial Fisher–Yates draw of `wanted` distinct candidates, kept in candidate order.
        var chosen: [Int]
        if wanted == candidates {
            chosen = Array(0..<candidates)
        } else {
            var generator = SeededRandom(seed: seed)
            var pool = Array(0..<candidates)
            for i in 0..<wanted {
                let j = i + Int(generator.next() % UInt64(candidates - i))
                pool.swapAt(i, j)
            }
            chosen = Array(pool[0..<wanted]).sorted()
        }
        var out = positions
        out.reserveCapacity(n + wanted)
        var sources = Array(0..<n)
        sources.reserveCapacity(n + wanted)
        for c in chosen {
            let i = c / perPoint, m = (c % perPoint) / Self.ratios.count, ratio = Self.ratios[c % Self.ratios.count]
            var j = Int(table.indices[i * 4 + 1 + m])
            if j < 0 { j = i }                       // fewer than 4 points in the cloud
            let a = positions[i], b = positions[j]
            out.append(a + ratio * (b - a))
            sources.append(ratio <= 0.5 ? i : j)
        }
        return Self.result(out, labels: labels, inputSample: Array(0..<n), labelSources: sources)
    }

    /// Farthest-point sampling (PointClouds' bucketed sampler) from a seeded random start.
    private func farthestPoints(_ positions: [SIMD3<Float>], labels: [Float]?) -> Result {
        var generator = SeededRandom(seed: seed)
        let start = Int(generator.next() % UInt64(positions.count))
        let picked = PointCloud(positions: positions).farthestPointSampleIndices(target, start: start)
        let sampled = picked.map { positions[$0] }
        let tree = KDTree(sampled, threads: ComputeThreads.count)
        let nearest = positions.map { tree.nearest(to: $0, k: 1).first!.index }
        return Self.result(sampled, labels: labels, inputSample: nearest, labelSources: picked)
    }

    private static func result(_ positions: [SIMD3<Float>], labels: [Float]?, inputSample: [Int], labelSources: [Int]) -> Result {
        var r = Result(positions: positions, labels: nil, inputSample: inputSample, labelSources: labelSources)
        r.labels = labels.map { r.carried($0) }
        return r
    }
}
