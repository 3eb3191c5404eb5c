import PointADSupport
import PointClouds
import TensorCore

/// The k nearest neighbours of every point (itself included), nearest first, as flat `[N · k]`
/// arrays: what G-aggregation and point-score smoothing work on.
public struct PointNeighbourhoods: Sendable {
    public let k: Int
    /// Neighbour indices of point j at `j·k ..< (j+1)·k`, nearest first.
    public let indices: [Int32]
    /// Their squared distances, same layout.
    public let squaredDistances: [Float]

    public var pointCount: Int { k == 0 ? 0 : indices.count / k }

    public init(k: Int, indices: [Int32], squaredDistances: [Float]) throws {
        guard k > 0, indices.count == squaredDistances.count, indices.count % k == 0 else {
            throw UsageError("neighbourhoods: \(indices.count) indices and \(squaredDistances.count) distances for k = \(k)")
        }
        self.k = k
        self.indices = indices
        self.squaredDistances = squaredDistances
    }

    /// Exact k nearest neighbours by exhaustive search: O(N²), for tests and tiny clouds.
    /// Ties are broken by the smaller index. `k` is capped at the point count.
    public static func bruteForce(_ positions: [SIMD3<Float>], k: Int) throws -> PointNeighbourhoods {
        let n = positions.count
        let kk = min(k, n)
        var indices = [Int32](), distances = [Float]()
        indices.reserveCapacity(n * kk)
        distances.reserveCapacity(n * kk)
        for j in 0..<n {
            var order: [(distance: Float, index: Int)] = []
            order.reserveCapacity(n)
            for i in 0..<n where i != j {
                let v: SIMD3<Float> = positions[i] - positions[j]
                let d: Float = (v * v).sum()
                order.append((d, i))
            }
            order.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.index < $1.index }
            // The point itself first, even when duplicates sit at distance 0.
            indices.append(Int32(j))
            distances.append(0)
            for entry in order.prefix(kk - 1) {
                indices.append(Int32(entry.index))
                distances.append(entry.distance)
            }
        }
        return try PointNeighbourhoods(k: kk, indices: indices, squaredDistances: distances)
    }

    /// Exact k nearest neighbours through PointClouds' k-d tree (queries in parallel, in tree order).
    /// `k` is capped at the point count.
    public static func nearest(_ positions: [SIMD3<Float>], k: Int) throws -> PointNeighbourhoods {
        let kk = min(k, positions.count)
        guard kk > 0 else { throw UsageError("neighbourhoods: no points") }
        let table = KDTree(positions, threads: ComputeThreads.count).neighborsOfAllPoints(k: kk, threads: ComputeThreads.count)
        return try PointNeighbourhoods(k: kk, indices: table.indices, squaredDistances: table.squaredDistances)
    }
}
