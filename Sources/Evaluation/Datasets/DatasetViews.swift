import Rendering

/// The view set each dataset's reference script renders with (dossier §2.4–2.6); nil leaves the
/// choice to the detector (MVTec's views for organised scans, PointAD's otherwise).
public enum DatasetViews {
    public static func viewSet(for dataset: DatasetKind) -> ViewSet? {
        switch dataset {
        case .mvtec3d: .mvtec
        // Anomaly-ShapeNet is rendered with the Real3D script (GS-CLIP's copy of it).
        case .real3d, .shapenet: .real3D
        case .eyecandies, .plain: nil
        }
    }
}
