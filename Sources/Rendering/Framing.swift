import Foundation

/// How each view's camera frames the object.
public enum Framing: Sendable, Equatable {
    /// Open3D's default view, reset to the bounding box of each rotated view (the authors' renders,
    /// dossier §2.2): d = zoom · E / tan(fov/2) from the box centre, E the box's largest side; the
    /// principal point sits half a pixel left/up of the centre of a `referenceWindow`-pixel window,
    /// which the reference then rescales to the output grid. The head light sits 2E in front of the
    /// box centre, where Open3D puts its two front lights.
    case open3D(fieldOfView: Double = 60, zoom: Double = 0.7, referenceWindow: Int = 1024)
    /// One bounding sphere (about the centroid, radius = farthest point) for every view, so the object
    /// keeps its scale and position across views; the sphere's outline spans `fill` of the image.
    /// The head light sits at the eye.
    case boundingSphere(fieldOfView: Double = 60, fill: Double = 0.9)

    /// The camera for one view: `bounds` is the rotated points' bounding box, `radius` their largest
    /// distance from `centroid`, the rotation centre. A cloud with no extent (one point, identical
    /// points) is framed as if it were one unit wide, so it renders at the centre instead of
    /// dividing by zero.
    public func camera(bounds: (lower: SIMD3<Double>, upper: SIMD3<Double>), radius: Double, centroid: SIMD3<Double>) -> PinholeCamera {
        switch self {
        case let .open3D(fov, zoom, window):
            let centre = (bounds.lower + bounds.upper) / 2
            var extent = (bounds.upper - bounds.lower).max()
            if !(extent > 0) { extent = 1 }
            let halfTan = tan(fov * .pi / 360)
            let distance = zoom * extent / halfTan
            return PinholeCamera(
                eye: centre + SIMD3(0, 0, distance), focal: 1 / (2 * halfTan),
                principal: 0.5 - 0.5 / Double(window), light: centre + SIMD3(0, 0, 2 * extent))
        case let .boundingSphere(fov, fill):
            let radius = radius > 0 ? radius : 0.5
            let halfTan = tan(fov * .pi / 360)
            // The sphere's silhouette subtends half-angle asin(r/d); make its tangent fill·tan(fov/2).
            let distance = radius / sin(atan(fill * halfTan))
            let eye = centroid + SIMD3(0, 0, distance)
            return PinholeCamera(eye: eye, focal: 1 / (2 * halfTan), principal: 0.5, light: eye)
        }
    }
}
