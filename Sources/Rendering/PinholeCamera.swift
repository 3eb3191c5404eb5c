/// A pinhole camera looking along −z with +y up, as Open3D's default view: the object is rotated
/// for each view, the camera only moves back along z and changes focal length.
///
/// Coordinates are resolution-free so the image, the correspondence and the visibility test on any
/// grid come from the very same numbers: a point's position on a grid of side S, in edge coordinates
/// (pixel i spans [i, i+1)), is `S · (focal · X/Z + principal)` with camera coordinates
/// X = x − eye.x, Y = eye.y − y, Z = eye.z − z.
public struct PinholeCamera: Sendable, Equatable {
    /// Camera centre in world coordinates.
    public var eye: SIMD3<Double>
    /// Focal length as a fraction of the image side (f / W = 1 / (2 tan(fov/2))).
    public var focal: Double
    /// Principal point as a fraction of the image side, from the left (and top) edge.
    public var principal: Double
    /// The head light (a white point light) in world coordinates.
    public var light: SIMD3<Double>

    public init(eye: SIMD3<Double>, focal: Double, principal: Double, light: SIMD3<Double>) {
        self.eye = eye
        self.focal = focal
        self.principal = principal
        self.light = light
    }

    /// Grid coordinates (edge convention) of `p` on a grid of side `size`, and its depth along the
    /// view axis. Depth ≤ 0 means the point is behind the camera.
    @inlinable
    public func project(_ p: SIMD3<Double>, size: Int) -> (x: Double, y: Double, depth: Double) {
        let z = eye.z - p.z
        let s = Double(size)
        return (s * (focal * (p.x - eye.x) / z + principal), s * (focal * (eye.y - p.y) / z + principal), z)
    }

    /// The integer pixel of grid coordinate `c`: truncated and clipped into [0, size), as the
    /// reference's `astype(int).clip(0, size−1)` (truncation and flooring agree once clipped).
    @inlinable
    public static func pixel(_ c: Double, size: Int) -> Int {
        guard c >= 0 else { return 0 }                 // also catches NaN
        return c >= Double(size) ? size - 1 : Int(c)
    }
}
