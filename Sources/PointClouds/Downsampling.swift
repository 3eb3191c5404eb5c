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
    public func farthestPointSampleIndices(_ sampleCount: Int, start: Int = 0) -> [Int] {
        let n = count
        guard sampleCount < n else { return Array(0..<n) }
        guard sampleCount > 0 else { return [] }
        var xs = [Float](repeating: 0, count: n), ys = xs, zs = xs
        for i in 0..<n { xs[i] = positions[i].x; ys[i] = positions[i].y; zs[i] = positions[i].z }
        var nearest = [Float](repeating: .infinity, count: n)
        var chosen = [Int]()
        chosen.reserveCapacity(sampleCount)
        var current = min(max(start, 0), n - 1)
        xs.withUnsafeBufferPointer { x in
            ys.withUnsafeBufferPointer { y in
                zs.withUnsafeBufferPointer { z in
                    nearest.withUnsafeMutableBufferPointer { d in
                        for _ in 0..<sampleCount {
                            chosen.append(current)
                            let cx = x[current], cy = y[current], cz = z[current]
                            // Update pass (vectorised), then a separate arg-max pass.
                            for i in 0..<n {
                                let dx = x[i] - cx, dy = y[i] - cy, dz = z[i] - cz
                                d[i] = min(d[i], dx * dx + dy * dy + dz * dz)
                            }
                            var best = 0
                            var bestValue = -Float.infinity
                            for i in 0..<n where d[i] > bestValue { bestValue = d[i]; best = i }
                            current = best
                        }
                    }
                }
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
