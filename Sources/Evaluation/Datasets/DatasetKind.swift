import Foundation

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

extension DatasetKind {
    /// Guesses the layout of `root` from its folders: MVTec-style `test/<defect>/xyz`, Anomaly-ShapeNet's
    /// upper-case `GT`, Real3D-AD's `gt` with `test/*.pcd`; otherwise a plain folder.
    public static func detect(_ root: URL) throws -> DatasetKind {
        for c in try Listing.subdirectories(root) {
            let classDir = root.appendingPathComponent(c)
            let test = classDir.appendingPathComponent("test")
            guard Listing.isDirectory(test) else { continue }
            if try Listing.subdirectories(test).contains(where: { Listing.isDirectory(test.appendingPathComponent($0).appendingPathComponent("xyz")) }) {
                return .mvtec3d
            }
            if try !Listing.files(test, extensions: ["pcd"]).isEmpty {
                return (try Listing.entries(classDir)).contains("GT") ? .shapenet : .real3d
            }
        }
        return .plain
    }
}
