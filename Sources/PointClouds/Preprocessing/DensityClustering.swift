import Dispatch
import Foundation

/// DBSCAN with Open3D's `cluster_dbscan(eps, min_points)` labels, computed on a voxel grid.
///
/// Open3D's semantics: a point is a core point when at least `minPoints` points (itself included)
/// lie closer than `eps`; clusters are the core points connected through such neighbourhoods,
/// numbered in the order of their lowest point index (the order Open3D's scan starts them); a
/// non-core point within `eps` of a core point joins the lowest-numbered such cluster (the first
/// to reach it, since Open3D grows one cluster completely before starting the next); the rest are
/// noise (−1). The labels are therefore fully determined, and this computes the same ones.
///
/// Instead of one radius query per point, points are binned in cubes of side eps/√3, whose
/// diagonal is eps: every point of a cube holding ≥ minPoints points is core at once, the other
/// points count neighbours in the ≤ 5×5×5 surrounding cubes until minPoints, and cubes are merged
/// (union–find) when any two of their core points are closer than eps. Distances are compared in
/// double precision, as Open3D's are.
public enum DensityClustering {
    public static let noise: Int32 = -1

    public static func dbscan(_ points: [SIMD3<Float>], eps: Double, minPoints: Int, threads: Int = 0) -> [Int32] {
        let n = points.count
        guard n > 0 else { return [] }
        let grid = CellGrid(points, cellSide: eps / 3.0.squareRoot() * (1 - 1e-9), reach: eps)
        let eps2 = eps * eps
        let workers = threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount

        // 1. Core points (in grid order).
        var core = [Bool](repeating: false, count: n)
        core.withUnsafeMutableBufferPointer { cp in
            let out = UncheckedBox(cp.baseAddress!)
            let chunks = grid.cellCount < 64 || workers == 1 ? 1 : workers * 8
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let isCore = out.value
                for cell in (grid.cellCount * chunk / chunks)..<(grid.cellCount * (chunk + 1) / chunks) {
                    let run = grid.start[cell]..<grid.start[cell + 1]
                    if run.count >= minPoints {
                        for j in run { isCore[j] = true }
                        continue
                    }
                    for j in run {
                        var found = 0
                        search: for other in grid.neighbours(of: cell) {
                            for m in grid.start[other]..<grid.start[other + 1] where grid.squaredDistance(j, m) < eps2 {
                                found += 1
                                if found >= minPoints { break search }
                            }
                        }
                        isCore[j] = found >= minPoints
                    }
                }
            }
        }

        // 2. Connect cells through close core pairs. Each cell's core points are listed apart with
        // their bounding box, and a pair of cells compares only the points within eps of the other
        // cell's box (a strip along the shared side), so a pair that fails costs little.
        var parent = Array(0..<grid.cellCount)
        func root(_ c: Int) -> Int {
            var c = c
            while parent[c] != c { parent[c] = parent[parent[c]]; c = parent[c] }
            return c
        }
        let cores = CoreLists(grid, core: core)
        var nearA: [Int] = [], nearB: [Int] = []
        for cell in 0..<grid.cellCount where cores.has(cell) {
            for other in grid.neighbours(of: cell) where other > cell && cores.has(other) {
                let a = root(cell), b = root(other)
                guard a != b else { continue }
                if cores.anyPair(cell, other, within: eps2, scratch: &nearA, &nearB) { parent[max(a, b)] = min(a, b) }
            }
        }
        let coreCells = (0..<grid.cellCount).map { cores.has($0) }

        // 3. Number clusters by their lowest core point index.
        var lowest = [Int](repeating: Int.max, count: grid.cellCount)
        for j in 0..<n where core[j] {
            let r = root(grid.cellOfPosition[j])
            lowest[r] = min(lowest[r], grid.original[j])
        }
        let roots = (0..<grid.cellCount).filter { lowest[$0] != Int.max }.sorted { lowest[$0] < lowest[$1] }
        var clusterOfRoot = [Int32](repeating: noise, count: grid.cellCount)
        for (label, r) in roots.enumerated() { clusterOfRoot[r] = Int32(label) }

        // 4. Labels: core points their cluster; others the lowest cluster of a core point in reach.
        var labels = [Int32](repeating: noise, count: n)
        for j in 0..<n {
            let cell = grid.cellOfPosition[j]
            if core[j] { labels[grid.original[j]] = clusterOfRoot[root(cell)]; continue }
            var best = Int32.max
            for other in grid.neighbours(of: cell) where coreCells[other] {
                let label = clusterOfRoot[root(other)]
                guard label < best, CoreLists.squaredDistance(grid.position(j), cores.lo[other], cores.hi[other]) < eps2 else { continue }
                for k in cores.start[other]..<cores.start[other + 1] where grid.squaredDistance(j, cores.positions[k]) < eps2 {
                    best = label
                    break
                }
            }
            if best != Int32.max { labels[grid.original[j]] = best }
        }
        return labels
    }

    /// The most frequent label, the noise label counting like any other; on a tie the smallest
    /// label, as NumPy's `unique` then `argmax` choose.
    public static func mostFrequentLabel(_ labels: [Int32]) -> Int32? {
        guard let top = labels.max(), let bottom = labels.min() else { return nil }
        var counts = [Int](repeating: 0, count: Int(top) - Int(bottom) + 1)
        for l in labels { counts[Int(l) - Int(bottom)] += 1 }
        var best = 0
        for i in counts.indices where counts[i] > counts[best] { best = i }
        return Int32(best + Int(bottom))
    }
}

/// Points binned in cubes, stored in cube order (coordinates apart, double precision), with each
/// cube's neighbouring cubes within reach.
struct CellGrid {
    /// Points of cube c are positions start[c] ..< start[c+1].
    var start: [Int]
    var cellOfPosition: [Int]
    /// Position → index in the input.
    var original: [Int]
    var xs: [Double], ys: [Double], zs: [Double]
    var neighbourStart: [Int]
    var neighbourCells: [Int]
    var cellCount: Int { start.count - 1 }

    init(_ points: [SIMD3<Float>], cellSide: Double, reach: Double) {
        let n = points.count
        var lo = SIMD3<Double>(repeating: .infinity)
        for p in points { lo = pointwiseMin(lo, SIMD3<Double>(p)) }
        var ids: [SIMD3<Int32>: Int] = [:]
        var keys: [SIMD3<Int32>] = []
        var cellOfPoint = [Int](repeating: 0, count: n)
        for (i, p) in points.enumerated() {
            let key = SIMD3<Int32>(((SIMD3<Double>(p) - lo) / cellSide).rounded(.down))
            if let id = ids[key] { cellOfPoint[i] = id } else {
                ids[key] = keys.count; cellOfPoint[i] = keys.count; keys.append(key)
            }
        }
        // Counting sort by cube keeps ascending input order inside each cube.
        var start = [Int](repeating: 0, count: keys.count + 1)
        for c in cellOfPoint { start[c + 1] += 1 }
        for c in 0..<keys.count { start[c + 1] += start[c] }
        var fill = start
        original = [Int](repeating: 0, count: n)
        cellOfPosition = [Int](repeating: 0, count: n)
        xs = [Double](repeating: 0, count: n); ys = xs; zs = xs
        for (i, p) in points.enumerated() {
            let c = cellOfPoint[i], position = fill[c]
            fill[c] += 1
            original[position] = i; cellOfPosition[position] = c
            xs[position] = Double(p.x); ys[position] = Double(p.y); zs[position] = Double(p.z)
        }
        self.start = start
        // Offsets whose cube can hold a point closer than `reach` to a point of the centre cube.
        let span = Int32((reach / cellSide).rounded(.up))
        // Nearest cubes first: their points are the likeliest to be in reach, so searches that stop
        // at the first hit (core counts, cube merging) stop early.
        var offsets: [(offset: SIMD3<Int32>, gap: Double)] = []
        for dx in -span...span { for dy in -span...span { for dz in -span...span {
            let gap = SIMD3<Double>(Double(max(abs(dx) - 1, 0)), Double(max(abs(dy) - 1, 0)), Double(max(abs(dz) - 1, 0))) * cellSide
            if (gap * gap).sum() < reach * reach { offsets.append((SIMD3(dx, dy, dz), (gap * gap).sum())) }
        } } }
        offsets.sort { $0.gap < $1.gap || ($0.gap == $1.gap && Self.lexicographic($0.offset, $1.offset)) }
        neighbourStart = [0]
        neighbourCells = []
        for key in keys {
            for o in offsets { if let id = ids[key &+ o.offset] { neighbourCells.append(id) } }
            neighbourStart.append(neighbourCells.count)
        }
    }

    @inline(__always) func neighbours(of cell: Int) -> ArraySlice<Int> {
        neighbourCells[neighbourStart[cell]..<neighbourStart[cell + 1]]
    }

    static func lexicographic(_ a: SIMD3<Int32>, _ b: SIMD3<Int32>) -> Bool {
        a.x != b.x ? a.x < b.x : a.y != b.y ? a.y < b.y : a.z < b.z
    }

    @inline(__always) func position(_ j: Int) -> SIMD3<Double> { SIMD3(xs[j], ys[j], zs[j]) }

    @inline(__always) func squaredDistance(_ a: Int, _ b: Int) -> Double {
        let dx = xs[a] - xs[b], dy = ys[a] - ys[b], dz = zs[a] - zs[b]
        return dx * dx + dy * dy + dz * dz
    }

}

/// The core points of each cell of a `CellGrid` (grid positions, in order) and their bounding boxes.
struct CoreLists {
    let grid: CellGrid
    /// Core points of cell c are `positions[start[c] ..< start[c + 1]]`.
    var start: [Int]
    var positions: [Int]
    var lo: [SIMD3<Double>], hi: [SIMD3<Double>]

    init(_ grid: CellGrid, core: [Bool]) {
        self.grid = grid
        start = [0]
        positions = []
        lo = []
        hi = []
        for cell in 0..<grid.cellCount {
            var l = SIMD3<Double>(repeating: .infinity), h = -l
            for j in grid.start[cell]..<grid.start[cell + 1] where core[j] {
                positions.append(j)
                let p = grid.position(j)
                l = pointwiseMin(l, p)
                h = pointwiseMax(h, p)
            }
            start.append(positions.count)
            lo.append(l)
            hi.append(h)
        }
    }

    @inline(__always) func has(_ cell: Int) -> Bool { start[cell + 1] > start[cell] }

    /// Whether a core point of `cellA` and one of `cellB` are closer than √`bound`. Only points
    /// within √`bound` of the other cell's box can be, and the box distance never exceeds a point
    /// distance even in floating point (every step is a monotone rounding of the same terms), so
    /// the answer is exact.
    func anyPair(_ cellA: Int, _ cellB: Int, within bound: Double, scratch nearA: inout [Int], _ nearB: inout [Int]) -> Bool {
        nearA.removeAll(keepingCapacity: true)
        var l = SIMD3<Double>(repeating: .infinity), h = -l
        for k in start[cellA]..<start[cellA + 1] {
            let p = grid.position(positions[k])
            if Self.squaredDistance(p, lo[cellB], hi[cellB]) < bound {
                nearA.append(positions[k])
                l = pointwiseMin(l, p)
                h = pointwiseMax(h, p)
            }
        }
        guard !nearA.isEmpty else { return false }
        nearB.removeAll(keepingCapacity: true)
        for k in start[cellB]..<start[cellB + 1] where Self.squaredDistance(grid.position(positions[k]), l, h) < bound {
            nearB.append(positions[k])
        }
        for b in nearB {
            for a in nearA where grid.squaredDistance(a, b) < bound { return true }
        }
        return false
    }

    /// Squared distance from `p` to the box [lo, hi], summed in `CellGrid.squaredDistance`'s order.
    @inline(__always) static func squaredDistance(_ p: SIMD3<Double>, _ lo: SIMD3<Double>, _ hi: SIMD3<Double>) -> Double {
        let d = pointwiseMax(pointwiseMax(lo - p, p - hi), .zero)
        return d.x * d.x + d.y * d.y + d.z * d.z
    }
}
