/// A pinhole depth camera at the origin looking along +z, with x to the right and y down the
/// image, as the organised clouds of MVTec 3D-AD are expressed (camera frame, metres).
public struct DepthCamera: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// Focal length in pixels.
    public let focal: Float
    /// Principal point in pixels (pixel (x, y) covers [x, x+1) × [y, y+1)).
    public let principal: SIMD2<Float>

    public init(width: Int, height: Int, focal: Float, principal: SIMD2<Float>? = nil) {
        self.width = width
        self.height = height
        self.focal = focal
        self.principal = principal ?? SIMD2(Float(width) / 2, Float(height) / 2)
    }

    /// Continuous pixel coordinates of a point in the camera frame (z > 0).
    @inline(__always)
    public func project(_ p: SIMD3<Float>) -> SIMD2<Float> {
        SIMD2(p.x / p.z, p.y / p.z) * focal + principal
    }

    /// The ray through the centre of pixel (x, y), scaled so its z is 1.
    @inline(__always)
    public func ray(x: Int, y: Int) -> SIMD3<Float> {
        let d = (SIMD2(Float(x) + 0.5, Float(y) + 0.5) - principal) / focal
        return SIMD3(d.x, d.y, 1)
    }
}
