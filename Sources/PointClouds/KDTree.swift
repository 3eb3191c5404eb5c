import Dispatch
import Foundation

/// A static 3-D k-d tree over float32 points for k-nearest and radius queries.
///
/// Built by median splits along the widest side of each cell (cells tracked from the splits, so no
/// bounding-box pass per node); the points are stored reordered in tree order, coordinates apart
/// (x, y, z arrays), so each leaf is a contiguous run the query loop scans linearly. Node slots are
/// computed from range sizes, which lets disjoint subtrees be built concurrently.
public final class KDTree: @unchecked Sendable {
    struct Node {
        /// Leaf: first point and count; internal: count == 0, children at self+1 and `right`.
        var start: Int32
        var count: Int32
        var right: Int32
        var dimension: Int32
        var split: Float
    }

    public let count: Int
    let leafSize: Int
    let xs: UnsafeMutablePointer<Float>
    let ys: UnsafeMutablePointer<Float>
    let zs: UnsafeMutablePointer<Float>
    /// Tree position → index in the points given to `init`.
    let ids: UnsafeMutablePointer<Int32>
    let nodes: UnsafeMutablePointer<Node>
    let nodeCount: Int

    /// Builds the tree (≤ 2^31 points); `threads` 0 = all cores.
    public init(_ points: [SIMD3<Float>], leafSize: Int = 16, threads: Int = 0) {
        precondition(points.count < Int(Int32.max), "k-d tree over \(points.count) points")
        count = points.count
        self.leafSize = max(1, leafSize)
        let n = max(count, 1)
        xs = .allocate(capacity: n); ys = .allocate(capacity: n); zs = .allocate(capacity: n); ids = .allocate(capacity: n)
        var lo = SIMD3<Float>(repeating: .infinity), hi = SIMD3<Float>(repeating: -.infinity)
        for i in 0..<count {
            let p = points[i]
            xs[i] = p.x; ys[i] = p.y; zs[i] = p.z; ids[i] = Int32(i)
            lo = pointwiseMin(lo, p); hi = pointwiseMax(hi, p)
        }
        nodeCount = Self.nodeCount(count, leafSize: self.leafSize)
        nodes = .allocate(capacity: nodeCount)
        // Split the top levels serially, then build the resulting subtrees in parallel.
        var tasks: [(node: Int, lo: Int, hi: Int, box: (SIMD3<Float>, SIMD3<Float>))] = []
        var pending = [(node: 0, lo: 0, hi: count, box: (lo, hi), depth: 0)]
        let workers = threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount
        let parallelDepth = count > 50_000 && workers > 1 ? 3 : 0
        while let t = pending.popLast() {
            if t.depth >= parallelDepth || t.hi - t.lo <= self.leafSize {
                tasks.append((t.node, t.lo, t.hi, t.box))
                continue
            }
            let (mid, leftBox, rightBox) = splitNode(t.node, lo: t.lo, hi: t.hi, box: t.box)
            pending.append((t.node + 1, t.lo, mid, leftBox, t.depth + 1))
            pending.append((Int(nodes[t.node].right), mid, t.hi, rightBox, t.depth + 1))
        }
        if tasks.count > 1 {
            let box = UncheckedBox(self)
            let subtrees = tasks
            DispatchQueue.concurrentPerform(iterations: subtrees.count) { i in
                let t = subtrees[i]
                box.value.build(t.node, lo: t.lo, hi: t.hi, box: t.box)
            }
        } else {
            for t in tasks { build(t.node, lo: t.lo, hi: t.hi, box: t.box) }
        }
    }

    deinit {
        xs.deallocate(); ys.deallocate(); zs.deallocate(); ids.deallocate(); nodes.deallocate()
    }

    /// Nodes a range of `n` points occupies (fixed by the median splits).
    static func nodeCount(_ n: Int, leafSize: Int) -> Int {
        n <= leafSize ? 1 : 1 + nodeCount(n / 2, leafSize: leafSize) + nodeCount(n - n / 2, leafSize: leafSize)
    }

    private func build(_ node: Int, lo: Int, hi: Int, box: (SIMD3<Float>, SIMD3<Float>)) {
        if hi - lo <= leafSize {
            nodes[node] = Node(start: Int32(lo), count: Int32(hi - lo), right: 0, dimension: 0, split: 0)
            return
        }
        let (mid, leftBox, rightBox) = splitNode(node, lo: lo, hi: hi, box: box)
        build(node + 1, lo: lo, hi: mid, box: leftBox)
        build(Int(nodes[node].right), lo: mid, hi: hi, box: rightBox)
    }

    /// Partitions [lo, hi) at its median along the cell's widest side and writes the node.
    private func splitNode(_ node: Int, lo: Int, hi: Int, box: (SIMD3<Float>, SIMD3<Float>)) -> (Int, (SIMD3<Float>, SIMD3<Float>), (SIMD3<Float>, SIMD3<Float>)) {
        if hi - lo <= leafSize {
            nodes[node] = Node(start: Int32(lo), count: Int32(hi - lo), right: 0, dimension: 0, split: 0)
            return (lo, box, box)
        }
        let size = box.1 - box.0
        let dimension = size.x >= size.y && size.x >= size.z ? 0 : (size.y >= size.z ? 1 : 2)
        let mid = (lo + hi) / 2
        let key = dimension == 0 ? xs : (dimension == 1 ? ys : zs)
        select(key, lo: lo, hi: hi, nth: mid)
        let split = key[mid]
        let right = node + 1 + Self.nodeCount(mid - lo, leafSize: leafSize)
        nodes[node] = Node(start: 0, count: 0, right: Int32(right), dimension: Int32(dimension), split: split)
        var leftBox = box, rightBox = box
        leftBox.1[dimension] = split
        rightBox.0[dimension] = split
        return (mid, leftBox, rightBox)
    }

    @inline(__always) private func swapPoints(_ a: Int, _ b: Int) {
        swap(&xs[a], &xs[b]); swap(&ys[a], &ys[b]); swap(&zs[a], &zs[b]); swap(&ids[a], &ids[b])
    }

    /// Quickselect (Hoare partition, median-of-three pivot): afterwards key[nth] is the value it
    /// would have sorted, with smaller-or-equal keys before it and larger-or-equal after.
    private func select(_ key: UnsafeMutablePointer<Float>, lo: Int, hi: Int, nth: Int) {
        var left = lo, right = hi - 1
        while right > left {
            let m = (left + right) / 2
            if key[m] < key[left] { swapPoints(m, left) }
            if key[right] < key[left] { swapPoints(right, left) }
            if key[right] < key[m] { swapPoints(right, m) }
            let pivot = key[m]
            var i = left, j = right
            while i <= j {
                while key[i] < pivot { i += 1 }
                while key[j] > pivot { j -= 1 }
                if i <= j { swapPoints(i, j); i += 1; j -= 1 }
            }
            if nth <= j { right = j } else if nth >= i { left = i } else { return }
        }
    }

    /// The point at tree position `position`.
    @inline(__always) func point(_ position: Int) -> SIMD3<Float> { SIMD3(xs[position], ys[position], zs[position]) }
}

/// Carries a reference into concurrent closures (workers touch disjoint ranges).
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
