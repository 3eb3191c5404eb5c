/// Midpoint subdivision: every triangle becomes four, sharing new vertices at edge midpoints.
/// Coarse scans (a few thousand vertices) need it so that small defects move enough vertices.
enum MeshSubdivision {
    /// Subdivides until the mesh has at least `minimumVertices` vertices.
    static func refined(_ mesh: SurfaceMesh, minimumVertices: Int) -> SurfaceMesh {
        var result = mesh
        while result.vertices.count < minimumVertices && !result.triangles.isEmpty { result = subdivided(result) }
        return result
    }

    static func subdivided(_ mesh: SurfaceMesh) -> SurfaceMesh {
        var vertices = mesh.vertices, albedo = mesh.albedo, defect = mesh.defect
        var midpoints: [Int64: Int32] = [:]
        func midpoint(_ a: Int32, _ b: Int32) -> Int32 {
            let key = Int64(min(a, b)) << 32 | Int64(max(a, b))
            if let existing = midpoints[key] { return existing }
            let index = Int32(vertices.count)
            vertices.append((vertices[Int(a)] + vertices[Int(b)]) / 2)
            albedo.append((albedo[Int(a)] + albedo[Int(b)]) / 2)
            defect.append(max(defect[Int(a)], defect[Int(b)]))
            midpoints[key] = index
            return index
        }
        var triangles: [SIMD3<Int32>] = []
        triangles.reserveCapacity(mesh.triangles.count * 4)
        for t in mesh.triangles {
            let ab = midpoint(t.x, t.y), bc = midpoint(t.y, t.z), ca = midpoint(t.z, t.x)
            triangles += [SIMD3(t.x, ab, ca), SIMD3(ab, t.y, bc), SIMD3(ca, bc, t.z), SIMD3(ab, bc, ca)]
        }
        return SurfaceMesh(vertices: vertices, triangles: triangles, albedo: albedo, defect: defect, occluders: mesh.occluders)
    }
}
