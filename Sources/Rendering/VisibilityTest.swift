/// Which points of a view count as seen, judged on the output grid (dossier §3.1).
public enum VisibilityTest: Sendable, Equatable {
    /// The reference: per output pixel only the point nearest the camera is visible (ties: the lowest
    /// index, as the reference's strict `>`). On a dense surface most points then share a pixel with
    /// a nearer neighbour and are "not visible"; a back-surface point alone in its pixel is visible.
    case nearestPoint
    /// Every point whose depth is within `tolerance` × the view's extent (largest bounding-box side)
    /// of the nearest point in its pixel: dense surfaces are seen whole, not speckled.
    case depthTolerance(Double)
    /// Compares each point with the depth the rendered image shows at the point's own centre (the
    /// supersampled splat buffer), plus `tolerance` × extent: also hides back-surface points that
    /// show through gaps between front points but lie behind a front splat in the image. Sloped
    /// surfaces need a tolerance of about slope × splat radius.
    case renderedDepth(tolerance: Double)
}
