/// Where a pixel's ray meets the triangle the depth pass found there: the point, its barycentric
/// weights, the nearest vertex (whose defect label the pixel takes), and what is interpolated there.
/// Shared by the object-only depth renderer and the structured-light table sensor.
struct SurfaceHit {
    let ray: SIMD3<Float>
    let point: SIMD3<Float>
    let triangle: SIMD3<Int32>
    let weights: SIMD3<Float>
    let nearestVertex: Int

    init(_ mesh: SurfaceMesh, triangle index: Int32, ray: SIMD3<Float>, depth: Float) {
        let t = mesh.triangles[Int(index)]
        let point = ray * depth
        let weights = barycentric(point, mesh.vertices[Int(t.x)], mesh.vertices[Int(t.y)], mesh.vertices[Int(t.z)])
        self.ray = ray
        self.point = point
        self.triangle = t
        self.weights = weights
        nearestVertex = Int(weights.x >= weights.y && weights.x >= weights.z ? t.x : (weights.y >= weights.z ? t.y : t.z))
    }

    /// The per-vertex `values` blended with the barycentric weights.
    func interpolated(_ values: [SIMD3<Float>]) -> SIMD3<Float> {
        values[Int(triangle.x)] * weights.x + values[Int(triangle.y)] * weights.y + values[Int(triangle.z)] * weights.z
    }
}
