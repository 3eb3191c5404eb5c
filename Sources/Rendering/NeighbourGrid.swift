/// k-nearest-neighbour search over a uniform grid of cells.
///
/// A stop-gap for the rendering module until PointClouds' k-d tree lands: normals, nearest seen
/// points and spatial smoothing only need exact k-NN, which shell-by-shell search over cells gives.
struct NeighbourGrid: Sendable {
    private let points: [SIMD3<Float>]
    private let origin: SIMD3<Float>
    private let cell: Float
    private let dims: SIMD3<Int>
    /// Points sorted by cell; `starts[c] ..< starts[c+1]` are the members of cell c.
    private let order: [Int32]
    private let starts: [Int32]

    init(_ points: [SIMD3<Float>]) {
        self.points = points
        var lo = SIMD3<Float>(repeating: .infinity), hi = SIMD3<Float>(repeating: -.infinity)
        for p in points {
            lo = pointwiseMin(lo, p)
            hi = pointwiseMax(hi, p)
        }
        if points.isEmpty { lo = .zero; hi = .zero }
        let size = hi - lo, n = max(points.count, 1)
        // Aim at a few points per occupied cell on a surface, with at most ~4 cells per point overall.
        var cell = max(size.max(), 1e-30) / max(Float(n / 4).squareRoot(), 1)
        func dimensions(_ c: Float) -> SIMD3<Int> {
            SIMD3(Int(min(size.x / c, 1e6)) + 1, Int(min(size.y / c, 1e6)) + 1, Int(min(size.z / c, 1e6)) + 1)
        }
        while dimensions(cell).x * dimensions(cell).y * dimensions(cell).z > 4 * n + 64 { cell *= 1.26 }
        self.origin = lo
        self.cell = cell
        let dims = dimensions(cell)
        self.dims = dims
        let cellCount = dims.x * dims.y * dims.z
        var starts = [Int32](repeating: 0, count: cellCount + 1)
        var cellOf = [Int32](repeating: 0, count: points.count)
        for (i, p) in points.enumerated() {
            let c = Self.cellCoordinates(p, origin: lo, cell: cell, dims: dims)
            let index = (c.z * dims.y + c.y) * dims.x + c.x
            cellOf[i] = Int32(index)
            starts[index + 1] += 1
        }
        for c in 0..<cellCount { starts[c + 1] += starts[c] }
        var fill = starts, order = [Int32](repeating: 0, count: points.count)
        for i in 0..<points.count {
            let c = Int(cellOf[i])
            order[Int(fill[c])] = Int32(i)
            fill[c] += 1
        }
        self.order = order
        self.starts = starts
    }

    private static func cellCoordinates(_ p: SIMD3<Float>, origin: SIMD3<Float>, cell: Float, dims: SIMD3<Int>) -> SIMD3<Int> {
        let q = (p - origin) / cell
        return SIMD3(min(max(Int(max(q.x, 0)), 0), dims.x - 1),
                     min(max(Int(max(q.y, 0)), 0), dims.y - 1),
                     min(max(Int(max(q.z, 0)), 0), dims.z - 1))
    }

    /// The `k` points nearest `query` as (index, squared distance), nearest first (ties: lower index).
    /// `accept` filters candidate indices.
    func nearest(_ query: SIMD3<Float>, k: Int, accept: (Int) -> Bool = { _ in true }) -> [(index: Int, distance: Float)] {
        guard k > 0, !points.isEmpty else { return [] }
        var best: [(index: Int, distance: Float)] = []
        best.reserveCapacity(k + 1)
        let centre = Self.cellCoordinates(query, origin: origin, cell: cell, dims: dims)
        let maxShell = max(dims.x, dims.y, dims.z)
        var shell = 0
        while shell <= maxShell {
            for z in (centre.z - shell)...(centre.z + shell) where z >= 0 && z < dims.z {
                for y in (centre.y - shell)...(centre.y + shell) where y >= 0 && y < dims.y {
                    let onFace = abs(z - centre.z) == shell || abs(y - centre.y) == shell
                    let step = onFace ? 1 : 2 * shell
                    var x = centre.x - shell
                    while x <= centre.x + shell {
                        if x >= 0 && x < dims.x {
                            let c = (z * dims.y + y) * dims.x + x
                            for slot in Int(starts[c])..<Int(starts[c + 1]) {
                                let i = Int(order[slot])
                                guard accept(i) else { continue }
                                let d = points[i] - query
                                let d2 = (d * d).sum()
                                if best.count == k, !Self.precedes((i, d2), best[k - 1]) { continue }
                                var at = best.count
                                while at > 0 && Self.precedes((i, d2), best[at - 1]) { at -= 1 }
                                best.insert((i, d2), at: at)
                                if best.count > k { best.removeLast() }
                            }
                        }
                        x += max(step, 1)
                    }
                }
            }
            // Every point outside the searched cube is farther than `shell` whole cells from the query's cell.
            if best.count == k {
                let reach = Float(shell) * cell
                if best[k - 1].distance <= reach * reach { break }
            }
            shell += 1
        }
        return best
    }

    private static func precedes(_ a: (index: Int, distance: Float), _ b: (index: Int, distance: Float)) -> Bool {
        a.distance < b.distance || (a.distance == b.distance && a.index < b.index)
    }
}
