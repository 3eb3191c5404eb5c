/// Turns a parametric surface (u, v) ↦ point into a closed triangle mesh.
///
/// Every shape family is a closed surface of one of two kinds: sphere-like (u runs from one pole
/// at 0 to the other at 1, v goes around) or torus-like (both wrap). Triangles are oriented so that
/// their normals point out of the enclosed volume, whatever orientation the parametrisation has.
enum ParametricGrid {
    enum Topology { case sphere, torus }

    static func mesh(rows: Int, columns: Int, topology: Topology,
                     point: (_ u: Float, _ v: Float) -> SIMD3<Float>) -> SurfaceMesh {
        precondition(rows >= 3 && columns >= 3, "grid \(rows)x\(columns) too small")
        var vertices: [SIMD3<Float>] = []
        var triangles: [SIMD3<Int32>] = []
        let ringRange = topology == .sphere ? 1..<rows : 0..<rows
        vertices.reserveCapacity(ringRange.count * columns + 2)
        for i in ringRange {
            for j in 0..<columns { vertices.append(point(Float(i) / Float(rows), Float(j) / Float(columns))) }
        }
        let first = ringRange.lowerBound
        func index(_ i: Int, _ j: Int) -> Int32 {
            let ring = topology == .torus ? (i % rows) : i
            return Int32((ring - first) * columns + j % columns)
        }
        let quadRows = topology == .sphere ? 1..<(rows - 1) : 0..<rows
        for i in quadRows {
            for j in 0..<columns {
                triangles.append(SIMD3(index(i, j), index(i, j + 1), index(i + 1, j + 1)))
                triangles.append(SIMD3(index(i, j), index(i + 1, j + 1), index(i + 1, j)))
            }
        }
        if topology == .sphere {
            let south = Int32(vertices.count)
            vertices.append(point(0, 0))
            let north = Int32(vertices.count)
            vertices.append(point(1, 0))
            for j in 0..<columns {
                triangles.append(SIMD3(south, index(1, j + 1), index(1, j)))
                triangles.append(SIMD3(index(rows - 1, j), index(rows - 1, j + 1), north))
            }
        }
        var mesh = SurfaceMesh(vertices: vertices, triangles: triangles)
        if signedVolume(mesh) < 0 { mesh.triangles = mesh.triangles.map { SIMD3($0.x, $0.z, $0.y) } }
        return mesh
    }

    /// Six times the signed enclosed volume: positive when triangles face outwards.
    static func signedVolume(_ mesh: SurfaceMesh) -> Float {
        var sum: Float = 0
        for t in mesh.triangles {
            sum += dot(mesh.vertices[Int(t.x)], cross(mesh.vertices[Int(t.y)], mesh.vertices[Int(t.z)]))
        }
        return sum
    }
}
