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
    /// Per-point grey level under the view's head light (nil when no normals were given).
    let shades: [Float]?
    /// Row-major output pixel of each point.
    let pixels: [Int32]
    /// Nearest and farthest finite depth.
    let depthRange: (near: Float, far: Float)
    /// Extra splat radius (output pixels) that covers the gaps between points, 0 unless `coverGaps`.
    let gapRadius: Double

    /// Rotates `positions` by `rotation` about their mean (`mean`), the pre-rotated mean `pivot`
    /// staying in place as in the reference (translation does not change the picture). `radius` is
    /// the cloud's largest distance from its mean (rotation leaves it unchanged); `spacing` its
    /// typical point spacing, used when `settings.coverGaps`; `normals` give the shading. Geometry
    /// in double precision, as the reference's float64 points, so pixels truncate the same way.
    /// Two passes over the points (bounding box, then camera), recomputing the rotation rather
    /// than storing rotated copies: memory traffic, not arithmetic, is what a view costs.
    init(positions: [SIMD3<Float>], mean: SIMD3<Double>, pivot: SIMD3<Double>, radius: Double, rotation: RotationMatrix,
         settings: RenderSettings, normals: [SIMD3<Float>]? = nil, spacing: Double = 0) {
        self.settings = settings
        self.rotation = rotation
        let n = positions.count, size = settings.size
        let (r0, r1, r2) = rotation.rows
        @inline(__always) func turned(_ p: SIMD3<Float>) -> SIMD3<Double> {
            let d = SIMD3<Double>(p) - mean
            return SIMD3((r0 * d).sum(), (r1 * d).sum(), (r2 * d).sum()) + pivot
        }
        var lo = SIMD3<Double>(repeating: .infinity), hi = SIMD3<Double>(repeating: -.infinity)
        positions.withUnsafeBufferPointer { src in
            for i in 0..<n {
                let q = turned(src[i])
                lo = pointwiseMin(lo, q)
                hi = pointwiseMax(hi, q)
            }
        }
        let camera = settings.framing.camera(bounds: (lo, hi), radius: radius, centroid: pivot)
        let extent = (hi - lo).max()
        self.extent = extent > 0 ? extent : 1
        var x = [Double](repeating: 0, count: n), y = [Double](repeating: 0, count: n)
        var depth = [Float](repeating: .infinity, count: n), pixels = [Int32](repeating: 0, count: n)
        var shades = normals.map { _ in [Float](repeating: 0, count: n) }
        var near = Float.infinity, far = -Float.infinity
        let s = Double(size), f = camera.focal, c = camera.principal, eye = camera.eye
        // Open3D's lights: the camera's (front) light and its mirror image through the box centre.
        let boxCentre = (lo + hi) / 2
        let shading = settings.shading, light = SIMD3<Float>(camera.light), eyeF = SIMD3<Float>(eye)
        let backLight = SIMD3<Float>(2 * boxCentre - camera.light)
        let f0 = SIMD3<Float>(r0), f1 = SIMD3<Float>(r1), f2 = SIMD3<Float>(r2)
        @inline(__always) func turnedNormal(_ m: SIMD3<Float>) -> SIMD3<Float> { SIMD3((f0 * m).sum(), (f1 * m).sum(), (f2 * m).sum()) }
        // Eight points at a time where the shading has lanes (the same bits as one at a time).
        var shadedByLanes = 0
        if let normals, shading.hasLanes {
            shadedByLanes = n / 8 * 8
            positions.withUnsafeBufferPointer { src in
                normals.withUnsafeBufferPointer { nrm in
                    shades!.withUnsafeMutableBufferPointer { out in
                        var p = Lanes3(.zero), m = Lanes3(.zero)
                        for block in stride(from: 0, to: shadedByLanes, by: 8) {
                            for k in 0..<8 {
                                let q = SIMD3<Float>(turned(src[block + k])), normal = turnedNormal(nrm[block + k])
                                p.x[k] = q.x; p.y[k] = q.y; p.z[k] = q.z
                                m.x[k] = normal.x; m.y[k] = normal.y; m.z[k] = normal.z
                            }
                            let values = shading.values(normal: m, at: p, front: light, back: backLight, eye: eyeF)
                            UnsafeMutableRawPointer(out.baseAddress! + block).storeBytes(of: values, as: SIMD8<Float>.self)
                        }
                    }
                }
            }
        }
        positions.withUnsafeBufferPointer { src in
            for i in 0..<n {
                let q = turned(src[i])
                if let normals, i >= shadedByLanes {
                    shades![i] = shading.value(normal: turnedNormal(normals[i]), at: SIMD3<Float>(q), front: light, back: backLight, eye: eyeF)
                }
                let z = eye.z - q.z
                let u = s * (f * (q.x - eye.x) / z + c), v = s * (f * (eye.y - q.y) / z + c)
                guard z > 0, u.isFinite, v.isFinite else { continue }
                x[i] = u
                y[i] = v
                let d = Float(z)
                depth[i] = d
                near = min(near, d)
                far = max(far, d)
                pixels[i] = Int32(truncatingIfNeeded: PinholeCamera.pixel(v, size: size) &* size &+ PinholeCamera.pixel(u, size: size))
            }
        }
        self.camera = camera
        self.shades = shades
        self.x = x
        self.y = y
        self.depth = depth
        self.pixels = pixels
        depthRange = near <= far ? (near, far) : (0, 0)
        // Pixels per unit length at the middle of the object's depth range.
        let middle = Double(depthRange.near + depthRange.far) / 2
        gapRadius = settings.coverGaps && middle > 0 ? spacing * camera.focal * Double(size) / middle : 0
    }

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

    func drawSplats(values: [Float], radius: Double) -> SplatBuffer {
        var buffer = SplatBuffer(size: settings.size, factor: max(settings.supersampling, 1),
                                 near: depthRange.near, far: depthRange.far)
        buffer.draw(x: x, y: y, depth: depth, values: values, radius: radius, shape: settings.splatShape)
        return buffer
    }

    /// Draws square splats of `pointSize` pixels in a `window`-pixel capture as OpenGL does: the
    /// window coordinate is the pinhole one (principal point W/2 − 0.5) plus half a pixel, and a
    /// splat covers the pixels whose centres lie within ±pointSize/2 of it; nearest depth wins.
    func drawWindow(values: [Float], window: Int, pointSize: Int) -> SplatBuffer {
        let s = Double(settings.size), w = Double(window), c = camera.principal
        // x/s − c is f·X/Z, the same for every window (f/W is fixed).
        let wx = x.map { w * ($0 / s - c) + w / 2 }, wy = y.map { w * ($0 / s - c) + w / 2 }
        var buffer = SplatBuffer(side: window, near: depthRange.near, far: depthRange.far)
        buffer.draw(x: wx, y: wy, depth: depth, values: values, radius: Double(pointSize) / 2, shape: .square)
        return buffer
    }

    /// A window capture as the reference saves it: 8-bit values, PIL's bicubic resize to `size`, 8-bit.
    func windowPicture(_ buffer: SplatBuffer, background: Float) -> [Float] {
        settings.filter.resize(side: buffer.side, to: settings.size, levels: 255) { row, line in
            buffer.resolve(row: row, background: background, levels: 255, into: line)
        }
    }

    /// The downsampled single-channel picture of a splat buffer, resolved row by row.
    func picture(_ buffer: SplatBuffer, background: Float) -> [Float] {
        settings.filter.downsample(side: buffer.side, factor: buffer.factor) { row, line in
            buffer.resolve(row: row, background: background, into: line)
        }
    }
}
