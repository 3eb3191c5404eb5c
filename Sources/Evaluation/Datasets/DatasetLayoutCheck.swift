import Foundation
import PointADSupport

extension DatasetKind {
    /// Refuses a root whose folders look like another benchmark's layout (`detect`), naming both:
    /// walking a Real3D-AD tree as Anomaly-ShapeNet, for instance, "succeeds" with half the samples
    /// failed. MVTec 3D-AD and converted Eyecandies share a layout; `plain` walks any folder.
    public func checkLayout(of root: URL) throws {
        guard self != .plain else { return }
        let found = try DatasetKind.detect(root)
        let sameLayout: (DatasetKind) -> DatasetKind = { $0 == .eyecandies ? .mvtec3d : $0 }
        guard sameLayout(found) == sameLayout(self) else {
            let looks = found == .plain ? "no benchmark layout (a plain folder)" : "the \(found.rawValue) layout"
            throw FileError(root.path, "--dataset \(rawValue) was given but the folder has \(looks); pass --dataset \(found.rawValue) or the right folder")
        }
    }
}
