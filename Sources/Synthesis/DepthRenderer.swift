import TensorCore

/// One organised scan as an MVTec 3D-AD sample holds it: an H×W grid of camera-frame points
/// (x, y, z interleaved, (0, 0, 0) where the sensor saw nothing), the registered colour image and
/// the ground-truth mask (0, or the defect kind's value 250…255).
public struct DepthScan: Sendable {
    public let width: Int
    public let height: Int
    /// H·W·3 floats, row-major, x y z per pixel.
    public var xyz: [Float]
    /// H·W·3 bytes, RGB.
    public var rgb: [UInt8]
    /// H·W bytes.
    public var groundTruth: [UInt8]

    /// Pixels with a measured point (no coordinate zero, as the reference loaders test validity).
    public var validPixelCount: Int {
        var count = 0
        for p in 0..<(width * height) where xyz[3 * p] != 0 && xyz[3 * p + 1] != 0 && xyz[3 * p + 2] != 0 { count += 1 }
        return count
    }

    public var defectPixelCount: Int { groundTruth.reduce(0) { $0 + ($1 > 0 ? 1 : 0) } }
}

/// Renders a mesh (already in the camera frame) into a `DepthScan` by z-buffered triangle
/// rasterisation: each pixel's point is where the pixel's ray meets the nearest front-facing
/// triangle, so the grid is exactly what a structured-light sensor would measure, plus noise.
public struct DepthRenderer: Sendable {
    public let camera: DepthCamera
    /// Standard deviation of the depth noise, in scene units.
    public var depthNoise: Float
    /// Pixels where the surface is seen at a grazing angle (|cos| below this) get no point,
    /// as real sensors lose them.
    public var grazingCosine: Float = 0.12
    /// Unit vector towards the light, in the camera frame.
    public var light: SIMD3<Float> = normalized(SIMD3(-0.35, -0.55, -1))
    public var background: SIMD3<Float> = SIMD3(0.09, 0.09, 0.1)

    public init(camera: DepthCamera, depthNoise: Float) {
        self.camera = camera
        self.depthNoise = depthNoise
    }

    public func render(_ mesh: SurfaceMesh, rng: inout SeededRandom) -> DepthScan {
        let width = camera.width, height = camera.height
        let (depth, owner) = rasterise(mesh)
        let normals = mesh.vertexNormals()
        var xyz = [Float](repeating: 0, count: width * height * 3)
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        var gt = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let pixel = y * width + x
                let triangle = owner[pixel]
                var color = background * (1 + 0.05 * rng.normal())
                if triangle >= 0 {
                    let hit = SurfaceHit(mesh, triangle: triangle, ray: camera.ray(x: x, y: y), depth: depth[pixel])
                    let t = hit.triangle, ray = hit.ray, point = hit.point
                    gt[pixel] = mesh.defect[hit.nearestVertex]
                    let normal = normalized(hit.interpolated(normals))
                    let albedo = hit.interpolated(mesh.albedo)
                    let view = -normalized(point)
                    let diffuse = max(0, dot(normal, light))
                    let halfway = normalized(light + view)
                    let specular = pow8(max(0, dot(normal, halfway))) * 0.12
                    color = albedo * (0.28 + 0.72 * diffuse) + SIMD3(repeating: specular)
                    let noisy = point + ray * (depthNoise * rng.normal())
                    if abs(dot(faceNormal(mesh, t), view)) >= grazingCosine {
                        xyz[3 * pixel] = noisy.x
                        xyz[3 * pixel + 1] = noisy.y
                        xyz[3 * pixel + 2] = noisy.z
                    }
                }
                for c in 0..<3 {
                    rgb[3 * pixel + c] = UInt8(max(0, min(255, (color[c] * 255).rounded())))
                }
            }
        }
        return DepthScan(width: width, height: height, xyz: xyz, rgb: rgb, groundTruth: gt)
    }

    /// Depth (z) and triangle index of the nearest front-facing triangle at every pixel centre
    /// (−1 where none).
    func rasterise(_ mesh: SurfaceMesh) -> (depth: [Float], owner: [Int32]) {
        let width = camera.width, height = camera.height
        var depth = [Float](repeating: .infinity, count: width * height)
        var owner = [Int32](repeating: -1, count: width * height)
        for (index, t) in mesh.triangles.enumerated() {
            let a = mesh.vertices[Int(t.x)], b = mesh.vertices[Int(t.y)], c = mesh.vertices[Int(t.z)]
            guard a.z > 1e-6, b.z > 1e-6, c.z > 1e-6 else { continue }
            // Back faces (normal pointing away from the camera at the origin) are hidden on a closed surface.
            guard dot(cross(b - a, c - a), a) < 0 else { continue }
            let pa = camera.project(a), pb = camera.project(b), pc = camera.project(c)
            let area = edge(pa, pb, pc)
            guard area != 0 else { continue }
            let lo = pointwiseMin(pa, pointwiseMin(pb, pc)), hi = pointwiseMax(pa, pointwiseMax(pb, pc))
            let x0 = max(0, Int((lo.x - 0.5).rounded(.up))), x1 = min(width - 1, Int((hi.x - 0.5).rounded(.down)))
            let y0 = max(0, Int((lo.y - 0.5).rounded(.up))), y1 = min(height - 1, Int((hi.y - 0.5).rounded(.down)))
            guard x0 <= x1, y0 <= y1 else { continue }
            for y in y0...y1 {
                for x in x0...x1 {
                    let p = SIMD2(Float(x) + 0.5, Float(y) + 0.5)
                    let w0 = edge(pb, pc, p) / area, w1 = edge(pc, pa, p) / area, w2 = edge(pa, pb, p) / area
                    guard w0 >= 0, w1 >= 0, w2 >= 0 else { continue }
                    // Perspective-correct depth: 1/z is linear in screen space.
                    let z = 1 / (w0 / a.z + w1 / b.z + w2 / c.z)
                    let pixel = y * width + x
                    if z < depth[pixel] {
                        depth[pixel] = z
                        owner[pixel] = Int32(index)
                    }
                }
            }
        }
        return (depth, owner)
    }

    @inline(__always)
    private func edge(_ a: SIMD2<Float>, _ b: SIMD2<Float>, _ p: SIMD2<Float>) -> Float {
        (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x)
    }

    func faceNormal(_ mesh: SurfaceMesh, _ t: SIMD3<Int32>) -> SIMD3<Float> {
        let a = mesh.vertices[Int(t.x)]
        return normalized(cross(mesh.vertices[Int(t.y)] - a, mesh.vertices[Int(t.z)] - a))
    }

    @inline(__always)
    func pow8(_ x: Float) -> Float {
        let x2 = x * x, x4 = x2 * x2
        return x4 * x4
    }
}

/// Barycentric weights of `p` (assumed in the triangle's plane) with respect to a, b, c.
func barycentric(_ p: SIMD3<Float>, _ a: SIMD3<Float>, _ b: SIMD3<Float>, _ c: SIMD3<Float>) -> SIMD3<Float> {
    let n = cross(b - a, c - a)
    let area = dot(n, n)
    guard area > 0 else { return SIMD3(1, 0, 0) }
    let wa = dot(cross(c - b, p - b), n) / area
    let wb = dot(cross(a - c, p - c), n) / area
    return SIMD3(wa, wb, 1 - wa - wb)
}
