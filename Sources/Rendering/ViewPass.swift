/// One view of one cloud, worked out once: the rotated points, the camera fitted to them, and each
/// point's grid coordinates and depth. The image, the mask, the correspondence and the visibility
/// test all read these same numbers, so they cannot disagree.
struct ViewPass {
    let settings: RenderSettings
    let rotation: RotationMatrix
    let camera: PinholeCamera
    /// Largest side of the rotated cloud's bounding box (≥ some positive value).
    let extent: Double
    /// Output-grid edge coordinates.
    let x: [Double]
    let y: [Double]
    /// Distance along the view axis; +∞ for points at or behind the camera.
    let depth: [Float]
    /// The rotated positions, for shading.
    let rotated: [SIMD3<Float>]
    /// Row-major output pixel of each point.
    let pixels: [Int32]
    /// Nearest and farthest finite depth.
    let depthRange: (near: Float, far: Float)
    /// Extra splat radius (output pixels) that covers the gaps between points, 0 unless `coverGaps`.
    let gapRadius: Double

    /// Rotates `positions` by `rotation` about their mean (`mean`), the pre-rotated mean `pivot`
    /// staying in place as in the reference (translation does not change the picture). `radius` is
    /// the cloud's largest distance from its mean (rotation leaves it unchanged); `spacing` its
    /// typical point spacing, used when `settings.coverGaps`. Geometry in double precision, as
    /// the reference's float64 points, so pixels truncate the same way.
    init(positions: [SIMD3<Float>], mean: SIMD3<Double>, pivot: SIMD3<Double>, radius: Double, rotation: RotationMatrix,
         settings: RenderSettings, spacing: Double = 0) {
        self.settings = settings
        self.rotation = rotation
        let n = positions.count, size = settings.size
        var wx = [Double](repeating: 0, count: n), wy = wx, wz = wx
        var rotated = [SIMD3<Float>](repeating: .zero, count: n)
        let (r0, r1, r2) = rotation.rows
        positions.withUnsafeBufferPointer { src in
            for i in 0..<n {
                let p = SIMD3<Double>(src[i]) - mean
                let q = SIMD3((r0 * p).sum(), (r1 * p).sum(), (r2 * p).sum()) + pivot
                wx[i] = q.x
                wy[i] = q.y
                wz[i] = q.z
                rotated[i] = SIMD3<Float>(q)
            }
        }
        let lo = SIMD3(Self.minimum(wx), Self.minimum(wy), Self.minimum(wz))
        let hi = SIMD3(Self.maximum(wx), Self.maximum(wy), Self.maximum(wz))
        let camera = settings.framing.camera(bounds: (lo, hi), radius: radius, centroid: pivot)
        let extent = (hi - lo).max()
        self.extent = extent > 0 ? extent : 1
        var x = [Double](repeating: 0, count: n), y = [Double](repeating: 0, count: n)
        var depth = [Float](repeating: .infinity, count: n), pixels = [Int32](repeating: 0, count: n)
        var near = Float.infinity, far = -Float.infinity
        let s = Double(size), f = camera.focal, c = camera.principal, eye = camera.eye
        for i in 0..<n {
            let z = eye.z - wz[i]
            let u = s * (f * (wx[i] - eye.x) / z + c), v = s * (f * (eye.y - wy[i]) / z + c)
            guard z > 0, u.isFinite, v.isFinite else { continue }
            x[i] = u
            y[i] = v
            let d = Float(z)
            depth[i] = d
            near = min(near, d)
            far = max(far, d)
            pixels[i] = Int32(truncatingIfNeeded: PinholeCamera.pixel(v, size: size) &* size &+ PinholeCamera.pixel(u, size: size))
        }
        self.camera = camera
        self.rotated = rotated
        self.x = x
        self.y = y
        self.depth = depth
        self.pixels = pixels
        depthRange = near <= far ? (near, far) : (0, 0)
        // Pixels per unit length at the middle of the object's depth range.
        let middle = Double(depthRange.near + depthRange.far) / 2
        gapRadius = settings.coverGaps && middle > 0 ? spacing * camera.focal * Double(size) / middle : 0
    }

    private static func minimum(_ a: [Double]) -> Double { a.withUnsafeBufferPointer { $0.reduce(Double.infinity) { min($0, $1) } } }
    private static func maximum(_ a: [Double]) -> Double { a.withUnsafeBufferPointer { $0.reduce(-Double.infinity) { max($0, $1) } } }

    /// The splat radius to draw with: `base`, grown to cover gaps when asked.
    func splatRadius(_ base: Double) -> Double { max(base, gapRadius) }

    /// Visibility on the output grid. `splats` is the image's splat buffer, needed only by
    /// `.renderedDepth` (drawn here when not given).
    func projection(splats: SplatBuffer? = nil) -> ViewProjection {
        let size = settings.size, n = depth.count
        var visible = [Bool](repeating: false, count: n)
        switch settings.visibility {
        case .nearestPoint, .depthTolerance:
            // One key per pixel: depth bits over the point index, so the nearest wins and, on equal
            // depths, the lowest index (the reference's strict `>` keeps the first).
            var nearest = [UInt64](repeating: .max, count: size * size)
            for i in 0..<n where depth[i].isFinite {
                let p = Int(pixels[i])
                // Positive floats order like their bit patterns.
                nearest[p] = min(nearest[p], UInt64(depth[i].bitPattern) &<< 32 | UInt64(i))
            }
            if case let .depthTolerance(tolerance) = settings.visibility {
                let slack = Float(tolerance * extent)
                for i in 0..<n where depth[i].isFinite {
                    let winner = Float(bitPattern: UInt32(truncatingIfNeeded: nearest[Int(pixels[i])] >> 32))
                    visible[i] = depth[i] <= winner + slack
                }
            } else {
                for i in 0..<n where depth[i].isFinite {
                    visible[i] = UInt32(truncatingIfNeeded: nearest[Int(pixels[i])]) == UInt32(i)
                }
            }
        case let .renderedDepth(tolerance):
            // The depth the image shows under each point's own centre (the supersampled cell it
            // falls in, clamped into the frame), against the point's own depth.
            let buffer = splats ?? drawSplats(values: [Float](repeating: 0, count: n), radius: splatRadius(settings.splatRadius))
            // One depth quantum of extra slack: the buffer rounds depths down.
            let quantum = buffer.depthScale > 0 ? 1 / buffer.depthScale : 0
            let slack = Float(tolerance * extent) + quantum, k = Double(buffer.factor)
            for i in 0..<n where depth[i].isFinite {
                let cell = PinholeCamera.pixel(y[i] * k, size: buffer.side) * buffer.side + PinholeCamera.pixel(x[i] * k, size: buffer.side)
                visible[i] = depth[i] <= buffer.depth(of: buffer.keys[cell]) + slack
            }
        }
        return ViewProjection(size: size, pixels: pixels, visible: visible)
    }

    /// Per-point grey levels from the rotated normals and the view's head light.
    func shades(normals: [SIMD3<Float>]) -> [Float] {
        let shading = settings.shading
        let light = SIMD3<Float>(camera.light), eye = SIMD3<Float>(camera.eye)
        let r0 = SIMD3<Float>(rotation.rows.0), r1 = SIMD3<Float>(rotation.rows.1), r2 = SIMD3<Float>(rotation.rows.2)
        var result = [Float](repeating: 0, count: normals.count)
        for i in 0..<normals.count {
            let m = normals[i]
            let n = SIMD3((r0 * m).sum(), (r1 * m).sum(), (r2 * m).sum())
            result[i] = shading.value(normal: n, at: rotated[i], light: light, eye: eye)
        }
        return result
    }

    func drawSplats(values: [Float], radius: Double) -> SplatBuffer {
        var buffer = SplatBuffer(size: settings.size, factor: max(settings.supersampling, 1),
                                 near: depthRange.near, far: depthRange.far)
        buffer.draw(x: x, y: y, depth: depth, values: values, radius: radius, shape: settings.splatShape)
        return buffer
    }

    /// The downsampled single-channel picture of a splat buffer.
    func picture(_ buffer: SplatBuffer, background: Float) -> [Float] {
        settings.filter.downsample(buffer.resolve(background: background), side: buffer.side, factor: buffer.factor)
    }
}
