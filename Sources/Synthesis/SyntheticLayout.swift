/// The benchmark whose directory layout and file formats a synthetic dataset copies.
public enum SyntheticLayout: String, CaseIterable, Sendable {
    /// MVTec 3D-AD: organised xyz TIFF + rgb PNG + gt PNG per sample, train/validation/test.
    case mvtec3d
    /// Real3D-AD: train/*template*.pcd, test/*.pcd, gt/*.txt (`x y z label`).
    case real3d
    /// Anomaly-ShapeNet: train/<cls>_template<k>.pcd, test/<cls>_<type><k>.pcd, GT/*.txt (`x,y,z,label`).
    case shapenet

    /// The defect kinds the benchmark has names for, in a fixed order.
    public var defectKinds: [DefectKind] {
        switch self {
        case .mvtec3d: DefectKind.allCases
        case .real3d: DefectKind.allCases.filter { $0.real3dName != nil }
        case .shapenet: DefectKind.allCases.filter { $0.shapenetName != nil }
        }
    }

    /// Training samples per class when `--train` is not given: the real sets have 4 templates per
    /// class for the point-cloud benchmarks; MVTec-style trees get as many as test samples.
    public func defaultTrainCount(testSamples: Int) -> Int {
        self == .mvtec3d ? testSamples : 4
    }
}
