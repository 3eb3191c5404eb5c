/// A triangle mesh as read from a mesh file (OBJ, STL, OFF): positions and triangles only.
/// Polygons are split into triangle fans on reading; normals, texture coordinates, colours and
/// materials are left behind (pointad scores geometry, and samples its own points on the surface).
public struct TriangleMesh: Sendable, Equatable {
    public var vertices: [SIMD3<Float>]
    /// Vertex indices of each triangle, in the file's winding order.
    public var triangles: [SIMD3<Int32>]

    public init(vertices: [SIMD3<Float>], triangles: [SIMD3<Int32>]) {
        self.vertices = vertices
        self.triangles = triangles
    }

    /// The box around the vertices; nil for a mesh without vertices.
    public var boundingBox: BoundingBox? { BoundingBox(vertices) }

    /// Total surface area.
    public var area: Double { TriangleAreaTable(vertices: vertices, triangles: triangles).total }

    /// Splits a polygon (corner indices in order) into the triangles (0, k, k+1).
    static func appendFan(_ corners: [Int32], to triangles: inout [SIMD3<Int32>]) {
        guard corners.count >= 3 else { return }
        for k in 1..<(corners.count - 1) { triangles.append(SIMD3(corners[0], corners[k], corners[k + 1])) }
    }
}
