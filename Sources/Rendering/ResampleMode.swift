/// Whether a cloud's points are brought to Real3D-AD's fixed count before rendering
/// (`Real3DResampling`, as `multiview_real3d.py`).
public enum ResampleMode: String, Sendable, Equatable, CaseIterable, Codable {
    /// Up-sample (or farthest-point sample) to 336² points, as the reference.
    case reference
    /// Render the given points.
    case none

    /// The mode that applies when none is chosen: `reference` for unorganised clouds rendered with
    /// the Real3D-AD view set, `none` otherwise.
    public static func resolved(_ mode: ResampleMode?, views: ViewSet, organised: Bool) -> ResampleMode {
        if organised { return .none }
        return mode ?? (views.raster == .real3D ? .reference : .none)
    }
}
