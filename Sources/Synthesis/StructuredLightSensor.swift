import TensorCore

/// A structured-light sensor looking down at a scene, as MVTec 3D-AD's scans were taken: a camera
/// and, beside it, a projector. A pixel gets a point only where both see the surface, so the raw
/// grid has the dropouts real scans have:
/// - the projector's shadow beside every raised object (the camera sees the table, no pattern reaches it);
/// - both sides of a depth discontinuity (the pattern is smeared across the edge: mixed pixels);
/// - surfaces seen at a grazing angle;
/// - a sprinkle of isolated pixels (speckle, low signal);
/// and Gaussian noise along the ray elsewhere. Colour is measured everywhere.
public struct StructuredLightSensor: Sendable {
    public let camera: DepthCamera
    /// Projector centre in the camera frame (metres); its axes are the camera's.
    public var projector: SIMD3<Float> = SIMD3(0.08, 0, 0)
    /// Standard deviation of the depth noise along the ray (metres).
    public var depthNoise: Float = 0.0002
    /// Pixels where the surface is seen at a grazing angle (|cos| below this) get no point.
    public var grazingCosine: Float = 0.12
    /// Neighbouring depths differing by more than this (metres) straddle an edge: both are lost.
    public var depthJump: Float = 0.003
    /// How far behind the projector's nearest surface a point counts as shadowed (metres).
    public var shadowBias: Float = 0.0015
    /// Fraction of the remaining pixels lost at random.
    public var speckle: Float = 0.003
    /// Unit vector towards the light, in the camera frame.
    public var light: SIMD3<Float> = normalized(SIMD3(-0.35, -0.55, -1))

    public init(camera: DepthCamera) { self.camera = camera }

    /// Scans `mesh` (camera frame) whose first `objectTriangles` triangles are the object; the
    /// rest (table, clutter) are background. `tableTexture` modulates background colours.
    public func scan(_ mesh: SurfaceMesh, objectTriangles: Int, table: (normal: SIMD3<Float>, offset: Float),
                     tableTexture: SmoothNoise, rng: inout SeededRandom) -> RawScan {
        let width = camera.width, height = camera.height, count = width * height
        let renderer = DepthRenderer(camera: camera, depthNoise: 0)
        let (depth, owner) = renderer.rasterise(mesh)
        let lit = projectorSees(mesh, depth: depth, owner: owner, table: table)
        let normals = mesh.vertexNormals()
        var xyz = [Float](repeating: 0, count: count * 3)
        var rgb = [UInt8](repeating: 0, count: count * 3)
        var gt = [UInt8](repeating: 0, count: count)
        var object = [Bool](repeating: false, count: count)
        for y in 0..<height {
            for x in 0..<width {
                let pixel = y * width + x
                let triangle = owner[pixel]
                var color = SIMD3<Float>(repeating: 0.05)
                if triangle >= 0 {
                    let hit = SurfaceHit(mesh, triangle: triangle, ray: camera.ray(x: x, y: y), depth: depth[pixel])
                    let t = hit.triangle, ray = hit.ray, point = hit.point
                    let isObject = Int(triangle) < objectTriangles
                    object[pixel] = isObject
                    if isObject { gt[pixel] = mesh.defect[hit.nearestVertex] }
                    let normal = normalized(hit.interpolated(normals))
                    var albedo = hit.interpolated(mesh.albedo)
                    if !isObject { albedo *= 1 + 0.12 * tableTexture.fractal(at: point * 400, octaves: 3) }
                    let view = -normalized(point)
                    let halfway = normalized(light + view)
                    color = albedo * (0.28 + 0.72 * max(0, dot(normal, light))) + SIMD3(repeating: renderer.pow8(max(0, dot(normal, halfway))) * 0.12)
                    let facing = abs(dot(renderer.faceNormal(mesh, t), view)) >= grazingCosine
                    let noisy = point + ray * (depthNoise * rng.normal())
                    if facing && lit[pixel] && !straddlesEdge(depth, x: x, y: y) && rng.uniform() >= speckle {
                        xyz[3 * pixel] = noisy.x
                        xyz[3 * pixel + 1] = noisy.y
                        xyz[3 * pixel + 2] = noisy.z
                    }
                }
                color *= 1 + 0.03 * rng.normal()
                for c in 0..<3 { rgb[3 * pixel + c] = UInt8(max(0, min(255, (color[c] * 255).rounded()))) }
            }
        }
        return RawScan(scan: DepthScan(width: width, height: height, xyz: xyz, rgb: rgb, groundTruth: gt),
                       objectPixels: object, tableNormal: table.normal, tableOffset: table.offset)
    }

    /// Whether the projector's light reaches each pixel's surface point: the scene is rasterised
    /// from the projector (a camera as wide as ours, aimed at the table where our optical axis
    /// meets it, so a strip of a few pixels on one side is outside its field, as on real sensors),
    /// and a point farther than the projector's nearest surface in its direction is in shadow.
    func projectorSees(_ mesh: SurfaceMesh, depth: [Float], owner: [Int32],
                       table: (normal: SIMD3<Float>, offset: Float)) -> [Bool] {
        let width = camera.width, height = camera.height
        let aim = -table.offset / table.normal.z
        let projectorCamera = DepthCamera(width: width, height: height, focal: camera.focal,
                                          principal: camera.principal + SIMD2(projector.x, projector.y) * (camera.focal / aim))
        var seen = mesh
        seen.apply(RigidTransform(translation: -projector))
        let (projectorDepth, _) = DepthRenderer(camera: projectorCamera, depthNoise: 0).rasterise(seen)
        var lit = [Bool](repeating: false, count: width * height)
        for y in 0..<height {
            for x in 0..<width where owner[y * width + x] >= 0 {
                let q = camera.ray(x: x, y: y) * depth[y * width + x] - projector
                guard q.z > 0 else { continue }
                let p = projectorCamera.project(q)
                let px = Int(p.x.rounded(.down)), py = Int(p.y.rounded(.down))
                guard px >= 0, px < width, py >= 0, py < height else { continue }
                lit[y * width + x] = q.z <= projectorDepth[py * width + px] + shadowBias
            }
        }
        return lit
    }

    /// Whether a 4-neighbour's depth differs from this pixel's by more than `depthJump`.
    @inline(__always)
    func straddlesEdge(_ depth: [Float], x: Int, y: Int) -> Bool {
        let width = camera.width, height = camera.height, d = depth[y * width + x]
        if x > 0, abs(depth[y * width + x - 1] - d) > depthJump { return true }
        if x + 1 < width, abs(depth[y * width + x + 1] - d) > depthJump { return true }
        if y > 0, abs(depth[(y - 1) * width + x] - d) > depthJump { return true }
        if y + 1 < height, abs(depth[(y + 1) * width + x] - d) > depthJump { return true }
        return false
    }
}
