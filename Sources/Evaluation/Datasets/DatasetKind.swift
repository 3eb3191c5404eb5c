/// The benchmark layouts `pointad eval` walks.
public enum DatasetKind: String, Sendable, Codable, CaseIterable {
    /// MVTec 3D-AD: `<class>/<split>/<defect>/{xyz,rgb,gt}/NNN.{tiff,png,png}`.
    case mvtec3d
    /// Real3D-AD: `<class>/{train,test}/*.pcd`, `<class>/gt/<stem>.txt` (space separated).
    case real3d
    /// Anomaly-ShapeNet: `<class>/{train,test}/*.pcd`, `<class>/GT/<stem>.txt` (comma separated).
    case shapenet
    /// Eyecandies converted to the MVTec 3D-AD layout (M3DM's `preprocess_eyecandies.py`).
    case eyecandies
    /// A folder of clouds, optionally in class subfolders, with optional labels.
    case plain

    /// Whether samples are organised grids, so AU-PRO (which needs connected defect regions) applies.
    public var hasRegions: Bool { self == .mvtec3d || self == .eyecandies }
}
