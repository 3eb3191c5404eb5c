import Foundation
import PointADSupport
import PointClouds

/// Reads a sample's points and ground truth from the benchmark formats, as the official loaders
/// pair them:
/// - an organised xyz TIFF gives its valid pixels as points (row-major); a gt PNG on the same grid
///   labels them (`> 0`) and its 8-connected regions give AU-PRO's region ids; a test/good sample
///   without gt is all zero;
/// - an `x y z label` txt (Real3D-AD space, Anomaly-ShapeNet comma) is points and labels at once;
/// - a `.npy` beside a plain cloud holds its per-point labels;
/// - a defect-free sample without gt has all labels 0; an unlabelled one has none.
/// The label column is removed from the cloud before it reaches the scorer.
/// With `preprocessing` `.btf`, xyz TIFFs (MVTec 3D-AD) are preprocessed on the fly as the
/// reference did before every published number (`BTFPreprocessing`), and labelled by the padded gt.
public struct DatasetSampleLoader: SampleLoading {
    public var preprocessing: ScanPreprocessing

    public init(preprocessing: ScanPreprocessing = .none) {
        self.preprocessing = preprocessing
    }

    public func load(_ sample: SampleDescriptor) throws -> LoadedSample {
        if preprocessing == .btf, ["tiff", "tif"].contains(URL(fileURLWithPath: sample.points).pathExtension.lowercased()) {
            return try loadPreprocessed(sample)
        }
        var cloud = try PointCloudFile.read(URL(fileURLWithPath: sample.points))
        guard cloud.count > 0 else { throw FileError(sample.points, "no valid points") }
        let fileLabels = cloud.scalars.removeValue(forKey: "label")
        guard let gtPath = sample.groundTruth else {
            guard sample.label == 0 else { return LoadedSample(cloud: cloud, pointLabels: nil) }
            let zeros = [UInt8](repeating: 0, count: cloud.count)
            return LoadedSample(cloud: cloud, pointLabels: zeros, regions: cloud.grid.map { _ in [Int32](repeating: 0, count: cloud.count) })
        }
        let gtURL = URL(fileURLWithPath: gtPath)
        switch gtURL.pathExtension.lowercased() {
        case "png":
            guard let grid = cloud.grid else { throw FileError(gtPath, "a gt mask needs an organised cloud, but \(sample.points) is not one") }
            let mask = try MaskFile.read(gtURL)
            guard mask.width == grid.width, mask.height == grid.height else {
                throw FileError(gtPath, "mask is \(mask.width)x\(mask.height) but the xyz image \(sample.points) is \(grid.width)x\(grid.height)")
            }
            return Self.labelled(cloud, grid: grid, mask: mask.pixels.map { UInt8($0 ? 1 : 0) })
        case "npy":
            let labels = try NPYFile.read(gtURL)
            guard labels.count == cloud.count else { throw FileError(gtPath, "\(labels.count) labels for \(cloud.count) points in \(sample.points)") }
            return LoadedSample(cloud: cloud, pointLabels: labels.floats().map { $0 != 0 ? 1 : 0 })
        default:
            let labels: [Float]
            if gtPath == sample.points {
                guard let l = fileLabels else { throw FileError(gtPath, "ground truth has no label column (expected x y z label per row)") }
                labels = l
                // The official loaders read the gt rows instead of the .pcd: the two must be the same points.
                if let paired = sample.pairedCloud {
                    let pairedCount = try PointCloudFile.read(URL(fileURLWithPath: paired)).count
                    guard pairedCount == cloud.count else {
                        throw FileError(gtPath, "has \(cloud.count) rows but its point cloud \(paired) has \(pairedCount) points: the ground truth does not belong to this scan")
                    }
                }
            } else {
                guard let l = try PointCloudFile.read(gtURL).scalars["label"] else { throw FileError(gtPath, "ground truth has no label column") }
                guard l.count == cloud.count else { throw FileError(gtPath, "\(l.count) labels for \(cloud.count) points in \(sample.points)") }
                labels = l
            }
            return LoadedSample(cloud: cloud, pointLabels: labels.map { $0 != 0 ? 1 : 0 })
        }
    }

    /// An organised cloud with its labels, regions and full-grid mask from a 0/1 mask on its grid.
    static func labelled(_ cloud: PointCloud, grid: OrganizedGrid, mask bytes: [UInt8]) -> LoadedSample {
        let (ids, _) = ConnectedRegions.label(mask: bytes, width: grid.width, height: grid.height)
        return LoadedSample(cloud: cloud, pointLabels: grid.pixelIndices.map { bytes[$0] },
                            regions: grid.pixelIndices.map { ids[$0] }, mask: GridMask(width: grid.width, height: grid.height, values: bytes))
    }

    /// An MVTec 3D-AD scan preprocessed as the reference (plane removed, padded, largest cluster),
    /// labelled by its padded gt. A scan without a findable table plane is this sample's error.
    func loadPreprocessed(_ sample: SampleDescriptor) throws -> LoadedSample {
        let raw = try OrganizedScan.read(xyz: URL(fileURLWithPath: sample.points), gt: sample.groundTruth.map { URL(fileURLWithPath: $0) })
        let scan: OrganizedScan
        do { scan = try BTFPreprocessing().apply(raw).scan } catch let error as BTFPreprocessing.NoPlaneError {
            throw FileError(sample.points, "preprocessing (--preprocess btf): \(error)")
        }
        let cloud = scan.xyz.pointCloud(source: sample.points)
        guard cloud.count > 0, let grid = cloud.grid else { throw FileError(sample.points, "no valid points left after preprocessing") }
        guard let gt = scan.gt else {
            guard sample.label == 0 else { return LoadedSample(cloud: cloud, pointLabels: nil) }
            return LoadedSample(cloud: cloud, pointLabels: [UInt8](repeating: 0, count: cloud.count), regions: [Int32](repeating: 0, count: cloud.count))
        }
        return Self.labelled(cloud, grid: grid, mask: gt.map { $0 > 0 ? 1 : 0 })
    }
}
