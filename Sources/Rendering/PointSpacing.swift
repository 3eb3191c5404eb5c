import PointClouds

/// How far apart a cloud's points typically are: the 90th percentile of nearest-neighbour
/// distances over an even sample of at most 4096 points (0 for fewer than two distinct points).
enum PointSpacing {
    static func typical(_ positions: [SIMD3<Float>]) -> Double {
        guard positions.count > 1 else { return 0 }
        let tree = KDTree(positions)
        let step = max(positions.count / 4096, 1)
        var distances: [Float] = []
        for i in stride(from: 0, to: positions.count, by: step) {
            // The nearest other point at a positive distance (duplicates say nothing about gaps).
            let found = tree.nearest(to: positions[i], k: 4)
            if let d = found.first(where: { $0.squaredDistance > 0 })?.squaredDistance { distances.append(d.squareRoot()) }
        }
        guard !distances.isEmpty else { return 0 }
        distances.sort()
        return Double(distances[distances.count * 9 / 10])
    }
}
