/// One sample of a benchmark as the walker finds it: where it sits in the dataset and which files
/// hold it. Nothing is read yet; `SampleLoader` reads the files.
public struct SampleDescriptor: Sendable, Hashable, Codable {
    public var className: String
    /// `test`, `train` or `validation` (the dataset's own split names are normalised to these).
    public var split: String
    /// The defect type, `good` for defect-free samples (also for Anomaly-ShapeNet's `positive`).
    public var defect: String
    /// The file name without extension, as in the dataset (`000`, `1_bulge`, `ashtray0_crack3`).
    public var stem: String
    /// The file the points are read from: an organised xyz TIFF, a PCD/PLY, or for anomalous
    /// Real3D-AD / Anomaly-ShapeNet samples the ground-truth txt (its rows are the points).
    public var points: String
    /// Registered colour image (MVTec 3D-AD, Eyecandies), if present.
    public var rgb: String?
    /// Ground truth: a PNG mask on the TIFF's grid, an `x y z label` txt, or per-point labels (.npy).
    public var groundTruth: String?
    /// 1 anomalous, 0 defect-free, nil unknown (a plain folder without labels).
    public var label: Int?
    /// Real3D-AD / Anomaly-ShapeNet anomalous samples: the test `.pcd` whose points the gt txt
    /// rows are; the loader refuses the pair when their counts differ.
    public var pairedCloud: String?

    public init(className: String, split: String, defect: String, stem: String, points: String,
                rgb: String? = nil, groundTruth: String? = nil, label: Int?, pairedCloud: String? = nil) {
        self.className = className
        self.split = split
        self.defect = defect
        self.stem = stem
        self.points = points
        self.rgb = rgb
        self.groundTruth = groundTruth
        self.label = label
        self.pairedCloud = pairedCloud
    }

    enum CodingKeys: String, CodingKey {
        case className = "class", split, defect, stem, points, rgb, groundTruth = "ground_truth", label, pairedCloud = "paired_cloud"
    }
}
