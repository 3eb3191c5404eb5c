import Foundation

extension PointCloud {
    /// Voxel-grid downsampling as Open3D's `voxel_down_sample`: voxels of side `voxelSize` anchored
    /// at the bounding-box minimum − size/2; each occupied voxel becomes the mean of its points
    /// (positions, normals, colours and scalars alike). Voxels come out in order of their first
    /// point (Open3D's order is a hash map's and not reproducible).
    public func voxelDownsampled(voxelSize: Float) -> PointCloud {
        guard voxelSize > 0, let box = boundingBox else { return self }
        let origin = box.min - voxelSize / 2
        var slotOf: [SIMD3<Int32>: Int] = [:]
        var slots = [Int](repeating: 0, count: count)
        for i in 0..<count {
            let cell = ((positions[i] - origin) / voxelSize).rounded(.down)
            let key = SIMD3<Int32>(Int32(clamping: Int(cell.x)), Int32(clamping: Int(cell.y)), Int32(clamping: Int(cell.z)))
            if let s = slotOf[key] { slots[i] = s } else { slots[i] = slotOf.count; slotOf[key] = slots[i] }
        }
        let m = slotOf.count
        var counts = [Double](repeating: 0, count: m)
        for s in slots { counts[s] += 1 }
        func average(_ values: [SIMD3<Float>]) -> [SIMD3<Float>] {
            var sums = [SIMD3<Double>](repeating: .zero, count: m)
            for i in 0..<count { sums[slots[i]] += SIMD3<Double>(values[i]) }
            return (0..<m).map { SIMD3<Float>(sums[$0] / counts[$0]) }
        }
        func averageScalar(_ values: [Float]) -> [Float] {
            var sums = [Double](repeating: 0, count: m)
            for i in 0..<count { sums[slots[i]] += Double(values[i]) }
            return (0..<m).map { Float(sums[$0] / counts[$0]) }
        }
        var result = PointCloud(positions: average(positions), source: source)
        if let normals {
            result.normals = average(normals).map { n in
                let length = (n * n).sum().squareRoot()
                return length > 0 ? n / length : n
            }
        }
        if let colors { result.colors = average(colors) }
        result.scalars = scalars.mapValues(averageScalar)
        return result
    }

    /// Indices of `sampleCount` points chosen by farthest-point sampling from `start`: each next
    /// point is the one farthest from all chosen so far (ties: lowest index). All points when
    /// `sampleCount` ≥ count.
    ///
    /// The points are grouped into k-d tree buckets that keep their bounding box and their largest
    /// "distance to the chosen set"; a new sample only updates buckets whose box is nearer than
    /// that largest distance. Late in the run samples are dense and touch few buckets, so this is
    /// many times faster than updating every point for every sample, with identical results.
    public func farthestPointSampleIndices(_ sampleCount: Int, start: Int = 0) -> [Int] {
        let n = count
        guard sampleCount < n else { return Array(0..<n) }
        guard sampleCount > 0 else { return [] }
        let tree = KDTree(positions, leafSize: 128, threads: 1)
        var buckets: [(start: Int, end: Int, lo: SIMD3<Float>, hi: SIMD3<Float>)] = []
        for i in 0..<tree.nodeCount where tree.nodes[i].count > 0 {
            let a = Int(tree.nodes[i].start), b = a + Int(tree.nodes[i].count)
            var lo = tree.point(a), hi = lo
            for j in a..<b { lo = pointwiseMin(lo, tree.point(j)); hi = pointwiseMax(hi, tree.point(j)) }
            buckets.append((a, b, lo, hi))
        }
        let xs = tree.xs, ys = tree.ys, zs = tree.zs, ids = tree.ids
        var nearest = [Float](repeating: .infinity, count: n)
        var bucketMax = [Float](repeating: .infinity, count: buckets.count)
        var bucketArg = buckets.map { b in (b.start..<b.end).min { ids[$0] < ids[$1] }! }
        var chosen = [Int]()
        chosen.reserveCapacity(sampleCount)
        var current = min(max(start, 0), n - 1)
        nearest.withUnsafeMutableBufferPointer { d in
            for _ in 0..<sampleCount {
                chosen.append(current)
                let c = positions[current]
                for (bi, b) in buckets.enumerated() {
                    let gap = pointwiseMax(pointwiseMax(b.lo - c, c - b.hi), .zero)
                    let boxDistance = gap.x * gap.x + gap.y * gap.y + gap.z * gap.z
                    if boxDistance >= bucketMax[bi] { continue }
                    var best = b.start
                    var bestValue = -Float.infinity
                    for j in b.start..<b.end {
                        let dx = xs[j] - c.x, dy = ys[j] - c.y, dz = zs[j] - c.z
                        let v = min(d[j], dx * dx + dy * dy + dz * dz)
                        d[j] = v
                        if v > bestValue || (v == bestValue && ids[j] < ids[best]) { bestValue = v; best = j }
                    }
                    bucketMax[bi] = bestValue
                    bucketArg[bi] = best
                }
                var winner = 0
                for bi in 1..<buckets.count {
                    let v = bucketMax[bi], w = bucketMax[winner]
                    if v > w || (v == w && ids[bucketArg[bi]] < ids[bucketArg[winner]]) { winner = bi }
                }
                current = Int(ids[bucketArg[winner]])
            }
        }
        return chosen
    }

    /// The cloud restricted to the given point indices (every per-point attribute follows).
    public func subset(_ indices: [Int]) -> PointCloud {
        var result = PointCloud(positions: indices.map { positions[$0] }, source: source)
        if let normals { result.normals = indices.map { normals[$0] } }
        if let colors { result.colors = indices.map { colors[$0] } }
        result.scalars = scalars.mapValues { values in indices.map { values[$0] } }
        return result
    }
}
