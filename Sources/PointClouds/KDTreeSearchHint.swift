/// An upper bound on a query's k-th nearest squared distance, from the previous query's result.
///
/// Queries run in tree order, so consecutive queries are close: the previous query `p` has k points
/// within √r of it, hence within |q − p| + √r of the next query `q`. Passing that reach as the
/// search's bound excludes only points farther than the k-th nearest, which the search would have
/// evicted anyway, so the neighbour list (and its tie order, first found first) is unchanged; what
/// it saves is filling the k-list with far points of the first leaves and shifting them out again
/// (over half the search time before). The reach is widened by 0.1% and computed in double so the
/// float distances the search computes (a few ulps off) can never exceed it at the k-th neighbour.
struct KNearestReach {
    /// False: every search gets the plain bound (the search before this, kept for the benchmark
    /// and the bit-identity tests).
    let enabled: Bool
    private var previous = SIMD3<Float>.zero
    private var previousKth = Float.infinity

    init(enabled: Bool = true) { self.enabled = enabled }

    /// The bound for `query`: `bound` itself, or the previous query's reach when that is tighter.
    func bound(for query: SIMD3<Float>, within bound: Float) -> Float {
        guard enabled, previousKth.isFinite else { return bound }
        let gap = SIMD3<Double>(query) - SIMD3<Double>(previous)
        let reach = (gap * gap).sum().squareRoot() + Double(previousKth).squareRoot()
        return min(bound, Float(reach * reach * 1.001))
    }

    /// Records a query's result: `found` neighbours, the farthest at `kth` squared distance. A
    /// list shorter than `k` (radius-limited) bounds nothing.
    mutating func record(_ query: SIMD3<Float>, found: Int, k: Int, kth: Float) {
        previous = query
        previousKth = found == k ? kth : .infinity
    }
}
