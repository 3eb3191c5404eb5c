import Dispatch
import Foundation

/// Neighbours of every point: `k` per point, nearest first, row-major (point i's neighbours at
/// i·k ..< (i+1)·k). Where fewer than k were found (radius-limited search), the rest are −1 / +∞.
public struct NeighborTable: Sendable {
    public let k: Int
    public var indices: [Int32]
    public var squaredDistances: [Float]

    /// Point i's neighbours that were found.
    public func neighbors(of i: Int) -> ArraySlice<Int32> {
        let row = indices[(i * k)..<((i + 1) * k)]
        return row.prefix { $0 >= 0 }
    }
}

extension KDTree {
    /// The k nearest points to `query` (fewer if the tree is smaller or `radius` excludes them),
    /// as (index, squared distance), nearest first. With a radius this is Open3D's hybrid search.
    public func nearest(to query: SIMD3<Float>, k: Int, radius: Float = .infinity) -> [(index: Int, squaredDistance: Float)] {
        guard k > 0 else { return [] }
        var indices = [Int32](repeating: -1, count: k), distances = [Float](repeating: .infinity, count: k)
        let found = indices.withUnsafeMutableBufferPointer { ip in
            distances.withUnsafeMutableBufferPointer { dp in
                search(query, k: k, bound: radius.isFinite ? radius * radius : .infinity, indices: ip.baseAddress!, distances: dp.baseAddress!)
            }
        }
        return (0..<found).map { (Int(indices[$0]), distances[$0]) }
    }

    /// Every point within `radius` of `query` (unsorted).
    public func within(radius: Float, of query: SIMD3<Float>) -> [Int] {
        var result: [Int] = []
        guard count > 0 else { return result }
        let r2 = radius * radius
        withUnsafeTemporaryAllocation(of: (Int32, Float).self, capacity: 128) { stack in
            var top = 0
            stack[0] = (0, 0); top = 1
            while top > 0 {
                top -= 1
                let (nodeIndex, lowerBound) = stack[top]
                if lowerBound > r2 { continue }
                let node = nodes[Int(nodeIndex)]
                if node.count > 0 {
                    for j in Int(node.start)..<Int(node.start + node.count) {
                        let d = (point(j) - query)
                        if (d * d).sum() <= r2 { result.append(Int(ids[j])) }
                    }
                } else {
                    let diff = query[Int(node.dimension)] - node.split
                    let far = diff < 0 ? node.right : nodeIndex + 1
                    let near = diff < 0 ? nodeIndex + 1 : node.right
                    stack[top] = (far, max(lowerBound, diff * diff)); top += 1
                    stack[top] = (near, lowerBound); top += 1
                }
            }
        }
        return result
    }

    /// The k nearest neighbours of every indexed point (itself included, at distance 0), optionally
    /// limited to `radius`. Queries run in tree order, so consecutive queries touch the same leaves
    /// and each is bounded by the previous one's reach (`KNearestReach`); spread over `threads`
    /// workers (0 = all cores). `reuseReach` false: the unbounded searches of before (same table).
    public func neighborsOfAllPoints(k: Int, radius: Float = .infinity, threads: Int = 0, reuseReach: Bool = true) -> NeighborTable {
        let n = count
        var indices = [Int32](repeating: -1, count: n * k)
        var distances = [Float](repeating: .infinity, count: n * k)
        guard k > 0, n > 0 else { return NeighborTable(k: k, indices: indices, squaredDistances: distances) }
        let bound = radius.isFinite ? radius * radius : Float.infinity
        let workers = threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount
        let chunks = n < 4096 || workers == 1 ? 1 : workers * 8
        indices.withUnsafeMutableBufferPointer { ip in
            distances.withUnsafeMutableBufferPointer { dp in
                let out = UncheckedBox((ip.baseAddress!, dp.baseAddress!, self))
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    let (indexOut, distanceOut, tree) = out.value
                    var reach = KNearestReach(enabled: reuseReach)
                    for position in (n * c / chunks)..<(n * (c + 1) / chunks) {
                        let original = Int(tree.ids[position]), query = tree.point(position)
                        let found = tree.search(query, k: k, bound: reach.bound(for: query, within: bound),
                                                indices: indexOut + original * k, distances: distanceOut + original * k)
                        reach.record(query, found: found, k: k, kth: found > 0 ? distanceOut[original * k + found - 1] : .infinity)
                    }
                }
            }
        }
        return NeighborTable(k: k, indices: indices, squaredDistances: distances)
    }

    /// Depth-first descent, near child first, with a sorted k-list; returns how many neighbours
    /// were found. Points at squared distance > `bound` are excluded. A far child is skipped when
    /// its cell is farther than the current k-th distance; the cell distance is kept incrementally
    /// per axis (Arya & Mount), which prunes more than the distance to the splitting plane alone.
    @inline(__always)
    func search(_ q: SIMD3<Float>, k: Int, bound: Float, indices: UnsafeMutablePointer<Int32>, distances: UnsafeMutablePointer<Float>) -> Int {
        var found = 0
        var worst = bound
        guard count > 0 else { return 0 }
        return withUnsafeTemporaryAllocation(of: (node: Int32, lowerBound: Float, offset: SIMD3<Float>).self, capacity: 128) { stack -> Int in
            var top = 1
            stack[0] = (0, 0, .zero)
            while top > 0 {
                top &-= 1
                let (nodeIndex, lowerBound, offset) = stack[top]
                // The incremental bound is a sum of rounded terms: only prune when it clearly exceeds.
                if lowerBound * 0.99999 > worst { continue }
                // k points at distance 0 (duplicates of the query): nothing can displace them, and
                // without this stop every cell holding more copies (bound 0) would be scanned, which
                // made queries among n copies O(n) each and the whole table O(n²).
                if found == k && worst == 0 { break }
                let node = nodes[Int(nodeIndex)]
                if node.count > 0 {
                    let end = Int(node.start &+ node.count)
                    for j in Int(node.start)..<end {
                        let dx = xs[j] - q.x, dy = ys[j] - q.y, dz = zs[j] - q.z
                        let d = dx * dx + dy * dy + dz * dz
                        if d > worst || (found == k && d == worst) { continue }
                        // Insert into the sorted list (k is small: linear shift).
                        var slot = found < k ? found : k &- 1
                        while slot > 0 && distances[slot &- 1] > d {
                            distances[slot] = distances[slot &- 1]
                            indices[slot] = indices[slot &- 1]
                            slot &-= 1
                        }
                        distances[slot] = d
                        indices[slot] = ids[j]
                        if found < k { found &+= 1 }
                        if found == k { worst = distances[k &- 1] }
                    }
                } else {
                    let dimension = Int(node.dimension)
                    let diff = q[dimension] - node.split
                    let far = diff < 0 ? node.right : nodeIndex &+ 1
                    let near = diff < 0 ? nodeIndex &+ 1 : node.right
                    let previous = offset[dimension]
                    let farBound = lowerBound - previous * previous + diff * diff
                    if farBound * 0.99999 <= worst {
                        var farOffset = offset
                        farOffset[dimension] = diff
                        stack[top] = (far, farBound, farOffset); top &+= 1
                    }
                    stack[top] = (near, lowerBound, offset); top &+= 1
                }
            }
            return found
        }
    }
}
