/// A solid ellipsoid with axes along an orthonormal frame.
public struct Ellipsoid: Sendable {
    public var center: SIMD3<Float>
    /// Orthonormal axes (columns of the rotation).
    public var axes: (SIMD3<Float>, SIMD3<Float>, SIMD3<Float>)
    public var radii: SIMD3<Float>

    public init(center: SIMD3<Float>, axes: (SIMD3<Float>, SIMD3<Float>, SIMD3<Float>), radii: SIMD3<Float>) {
        self.center = center
        self.axes = axes
        self.radii = radii
    }

    public func contains(_ point: SIMD3<Float>) -> Bool {
        let d = point - center
        let local = SIMD3(dot(d, axes.0), dot(d, axes.1), dot(d, axes.2)) / radii
        return dot(local, local) < 1
    }

    func transformed(by transform: RigidTransform) -> Ellipsoid {
        Ellipsoid(center: transform.apply(center),
                  axes: (transform.rotate(axes.0), transform.rotate(axes.1), transform.rotate(axes.2)), radii: radii)
    }
}
