import PointClouds

/// A triangle mesh of a synthetic object, with what the data writers need per vertex: a colour and
/// the defect it belongs to.
///
/// `defect[i]` is 0 on intact surface and the MVTec-style ground-truth value of the defect kind
/// (`DefectKind.groundTruthValue`, 250…255) where the geometry was changed. Renders and point
/// samples inherit it, which is how every file gets per-point and per-pixel ground truth.
public struct SurfaceMesh: Sendable {
    public var vertices: [SIMD3<Float>]
    /// Vertex indices, counter-clockwise seen from outside.
    public var triangles: [SIMD3<Int32>]
    /// Surface colour in [0, 1].
    public var albedo: [SIMD3<Float>]
    public var defect: [UInt8]
    /// Solid regions that cover part of this surface (added material). Surface samples inside
    /// them are not visible on a real object and are dropped.
    public var occluders: [Ellipsoid]

    public init(vertices: [SIMD3<Float>], triangles: [SIMD3<Int32>], albedo: [SIMD3<Float>]? = nil,
                defect: [UInt8]? = nil, occluders: [Ellipsoid] = []) {
        self.vertices = vertices
        self.triangles = triangles
        self.albedo = albedo ?? [SIMD3<Float>](repeating: SIMD3(0.7, 0.7, 0.7), count: vertices.count)
        self.defect = defect ?? [UInt8](repeating: 0, count: vertices.count)
        self.occluders = occluders
    }

    /// A mesh read from a file (e.g. a CGAL scan), grey and intact.
    public init(_ mesh: TriangleMesh) {
        self.init(vertices: mesh.vertices, triangles: mesh.triangles)
    }

    /// Unit vertex normals: the area-weighted sum of the adjacent faces' normals.
    public func vertexNormals() -> [SIMD3<Float>] {
        var normals = [SIMD3<Float>](repeating: .zero, count: vertices.count)
        for t in triangles {
            let a = vertices[Int(t.x)], b = vertices[Int(t.y)], c = vertices[Int(t.z)]
            let n = cross(b - a, c - a)
            normals[Int(t.x)] += n
            normals[Int(t.y)] += n
            normals[Int(t.z)] += n
        }
        return normals.map { n in
            let length = (n * n).sum().squareRoot()
            return length > 0 ? n / length : SIMD3(0, 0, 1)
        }
    }

    /// Centre and radius of a sphere enclosing every vertex (centre of the bounding box).
    public func boundingSphere() -> (center: SIMD3<Float>, radius: Float) {
        guard var lo = vertices.first else { return (.zero, 0) }
        var hi = lo
        for v in vertices {
            lo = pointwiseMin(lo, v)
            hi = pointwiseMax(hi, v)
        }
        let center = (lo + hi) / 2
        var radius: Float = 0
        for v in vertices { radius = max(radius, distance(v, center)) }
        return (center, radius)
    }

    /// Appends another mesh (its triangles re-indexed), e.g. a blob of added material.
    public mutating func append(_ other: SurfaceMesh) {
        let offset = Int32(vertices.count)
        vertices += other.vertices
        albedo += other.albedo
        defect += other.defect
        triangles += other.triangles.map { $0 &+ SIMD3(repeating: offset) }
        occluders += other.occluders
    }

    /// Applies `transform` to every vertex and to the occluders.
    public mutating func apply(_ transform: RigidTransform) {
        for i in vertices.indices { vertices[i] = transform.apply(vertices[i]) }
        occluders = occluders.map { $0.transformed(by: transform) }
    }

    /// Whether `point` lies inside one of the occluders.
    public func isOccluded(_ point: SIMD3<Float>) -> Bool {
        occluders.contains { $0.contains(point) }
    }
}
