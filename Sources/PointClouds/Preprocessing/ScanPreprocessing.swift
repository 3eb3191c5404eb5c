/// What is done to an MVTec 3D-AD scan before scoring: `btf`, the reference preprocessing every
/// published MVTec 3D-AD number used (`BTFPreprocessing`), or `none`, the raw scan.
public enum ScanPreprocessing: String, Sendable, Codable, CaseIterable {
    case btf
    case none
}
