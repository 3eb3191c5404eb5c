import TensorCore

/// Turns a mesh into the point cloud pointad scores: points drawn uniformly over the surface
/// (area-weighted, reproducible from a seed), each with the unit normal of its triangle, so that
/// no normals need estimating. A mesh without faces (OBJ/OFF files also hold bare point sets) or
/// whose faces all have zero area gives its vertices instead.
public enum MeshSurfaceSampler {
    /// Default number of surface points: about the density of Real3D-AD / Anomaly-ShapeNet test
    /// clouds, enough for the splats of nine 336-px views to close up without a visible grain.
    public static let defaultPointCount = 100_000

    public static func sample(_ mesh: TriangleMesh, count: Int, seed: UInt64 = 0, source: String? = nil) -> PointCloud {
        let table = TriangleAreaTable(vertices: mesh.vertices, triangles: mesh.triangles)
        guard table.doubledTotal > 0, count > 0 else { return PointCloud(positions: mesh.vertices, source: source) }
        var rng = SeededRandom(seed: seed)
        var positions = [SIMD3<Float>](repeating: .zero, count: count)
        var normals = [SIMD3<Float>](repeating: .zero, count: count)
        for i in 0..<count {
            let t = mesh.triangles[table.triangle(at: rng.uniform())]
            let a = mesh.vertices[Int(t.x)], b = mesh.vertices[Int(t.y)], c = mesh.vertices[Int(t.z)]
            let w = TriangleAreaTable.barycentric(rng.uniform(), rng.uniform())
            positions[i] = a * w.x + b * w.y + c * w.z
            let u = b - a, v = c - a
            let n = SIMD3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
            // The picked triangle has non-zero area (zero-area ones have zero probability).
            normals[i] = n / (n * n).sum().squareRoot()
        }
        return PointCloud(positions: positions, normals: normals, source: source)
    }
}
