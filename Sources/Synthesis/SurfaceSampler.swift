import PointClouds
import TensorCore

/// A sampled point cloud with one ground-truth label per point (0 normal, 1 anomalous), as the
/// Real3D-AD and Anomaly-ShapeNet gt files hold it.
public struct LabelledCloud: Sendable {
    public var points: [SIMD3<Float>]
    public var labels: [UInt8]

    public var anomalousCount: Int { labels.reduce(0) { $0 + Int($1) } }
}

/// Draws points uniformly over a mesh's surface (area-weighted), as a dense 360° scan would see
/// it, with optional isotropic noise. A point's label is the defect state of its triangle's nearest
/// vertex; points inside added material (hidden surface) are skipped.
public enum SurfaceSampler {
    public static func sample(_ mesh: SurfaceMesh, count: Int, noise: Float, rng: inout SeededRandom) -> LabelledCloud {
        let table = TriangleAreaTable(vertices: mesh.vertices, triangles: mesh.triangles)
        var points: [SIMD3<Float>] = []
        var labels: [UInt8] = []
        points.reserveCapacity(count)
        labels.reserveCapacity(count)
        guard table.doubledTotal > 0 else { return LabelledCloud(points: [], labels: []) }
        // Give up on a degenerate mesh that is nearly all hidden rather than loop for ever.
        var attempts = 0
        while points.count < count && attempts < 50 * count {
            attempts += 1
            let t = mesh.triangles[table.triangle(at: rng.uniform())]
            let weights = TriangleAreaTable.barycentric(rng.uniform(), rng.uniform())
            let a = mesh.vertices[Int(t.x)], b = mesh.vertices[Int(t.y)], c = mesh.vertices[Int(t.z)]
            let point = a * weights.x + b * weights.y + c * weights.z
            if mesh.isOccluded(point) { continue }
            let nearest = weights.x >= weights.y && weights.x >= weights.z ? t.x : (weights.y >= weights.z ? t.y : t.z)
            let jitter = noise > 0 ? SIMD3(rng.normal(), rng.normal(), rng.normal()) * noise : .zero
            points.append(point + jitter)
            labels.append(mesh.defect[Int(nearest)] > 0 ? 1 : 0)
        }
        return LabelledCloud(points: points, labels: labels)
    }
}
