/// Which cells the point-level metrics (P-AUROC, P-AP, both AU-PROs) pool for an organised scan
/// (MVTec 3D-AD, Eyecandies). Unorganised datasets are evaluated over points: their own under
/// `points` and `mvtec` (as Real3D-AD's official code does), and for Real3D-AD and Anomaly-ShapeNet
/// under `pointad` the 112,896 points the detector resampled and scored, as PointAD's
/// `test_only_point.py` does.
public enum EvaluationProtocol: String, Sendable, Codable, CaseIterable {
    /// The valid points of each scan at its own resolution, labelled by the gt pixel under them.
    case points
    /// MVTec 3D-AD's official `evaluate_experiment.py`: every pixel of the scan's full H×W grid
    /// counts, against the full gt mask. Invalid pixels (no point) score min(0, the sample's lowest
    /// point score), unless the scorer supplied a full-size map, which is taken as is.
    case mvtec
    /// PointAD's `metrics.py`: every cell of the 336×336 grid the detector scores on (the xyz grid
    /// resized nearest, invalid cells 0 before the σ=4 blur), against the gt resized 336×336 with
    /// PIL bilinear and `> 0.5`; the reported AU-PRO is PointAD's variant. Real3D-AD and
    /// Anomaly-ShapeNet: the resampled points (`resampledCells`), no AU-PRO.
    case pointad

    /// The protocol that reproduces the papers' MVTec 3D-AD / Eyecandies tables (the CLI default).
    public static let paperDefault = EvaluationProtocol.pointad

    /// The side of PointAD's evaluation grid.
    public static let pointADSide = 336

    /// The protocol actually applied to `dataset`: only organised datasets have pixels to add, and
    /// only the datasets the authors resample (rendered with the Real3D-AD script) keep `pointad`.
    public func effective(for dataset: DatasetKind) -> EvaluationProtocol {
        if dataset.hasRegions { return self }
        return self == .pointad && Self.resampledDatasets.contains(dataset) ? .pointad : .points
    }

    /// Unorganised datasets that `pointad` evaluates on the detector's resampled points.
    public static let resampledDatasets: Set<DatasetKind> = [.real3d, .shapenet]

    /// What `pointad` pools on an unorganised dataset, for results.json.
    public static let resampledCells = "the points each sample is resampled to before rendering (Real3D-AD's 112,896, or 10·N below 11,290 points), "
        + "with the scores of those points and labels carried as test_only_point.py's interpolation_points_with_gt_colors does "
        + "(a kept point its own, a point made on a segment the nearer end's); no AU-PRO"

    /// What the point-level metrics pool on `dataset` under this (effective) protocol.
    public func cells(for dataset: DatasetKind) -> String {
        !dataset.hasRegions && self == .pointad ? Self.resampledCells : cells
    }

    /// What the point-level metrics pool, for results.json.
    public var cells: String {
        switch self {
        case .points: "the valid points of each sample at its own resolution (organised scans: valid pixels only; unorganised clouds: all points)"
        case .mvtec: "every pixel of each scan's full H×W grid against its full gt mask, as MVTec 3D-AD's evaluate_experiment.py (invalid pixels score min(0, the sample's lowest point score) unless a full-size map was given)"
        case .pointad: "every cell of the 336×336 grid PointAD scores on (xyz resized nearest, background included), against the gt resized 336×336 with PIL bilinear then > 0.5, as PointAD's metrics.py"
        }
    }
}
