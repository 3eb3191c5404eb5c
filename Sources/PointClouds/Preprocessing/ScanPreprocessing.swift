import Foundation
import PointADSupport

/// What is done to an MVTec 3D-AD scan before scoring: `btf`, the reference preprocessing every
/// published MVTec 3D-AD number used (`BTFPreprocessing`), or `none`, the raw scan.
public enum ScanPreprocessing: String, Sendable, Codable, CaseIterable {
    case btf
    case none
}

extension ScanPreprocessing {
    /// Whether `url` is a scan this choice applies to (an organised xyz TIFF, as MVTec 3D-AD's).
    public static func applies(to url: URL) -> Bool {
        ["tiff", "tif"].contains(url.pathExtension.lowercased())
    }

    /// The xyz TIFF at `url` as a cloud, preprocessed by this choice (`none`: as read). A scan
    /// whose table plane cannot be found is an error naming the file.
    public func cloud(xyz url: URL) throws -> PointCloud {
        let raw = try OrganizedScan.read(xyz: url)
        guard self == .btf else { return raw.xyz.pointCloud(source: url.path) }
        let scan: OrganizedScan
        do { scan = try BTFPreprocessing().apply(raw).scan } catch let error as BTFPreprocessing.NoPlaneError {
            throw FileError(url.path, "preprocessing (--preprocess btf): \(error)")
        }
        let cloud = scan.xyz.pointCloud(source: url.path)
        guard cloud.count > 0 else { throw FileError(url.path, "no valid points left after preprocessing (--preprocess btf)") }
        return cloud
    }
}
