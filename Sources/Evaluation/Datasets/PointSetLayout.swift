import Foundation

/// Real3D-AD and Anomaly-ShapeNet: unorganised clouds in `<class>/{train,test}/*.pcd` with
/// per-point ground truth in `<class>/gt/<stem>.txt` (Real3D-AD, `x y z label` space separated) or
/// `<class>/GT/<stem>.txt` (Anomaly-ShapeNet, comma separated).
///
/// As the official loaders do, an anomalous test sample's points are the rows of its gt txt (its
/// .pcd is not read), and a normal sample's points come from its .pcd with all labels 0.
struct PointSetLayout: Sendable {
    /// Returns the defect type encoded in a test file name, or nil when the sample is normal.
    let defectOf: @Sendable (_ stem: String, _ className: String) -> String?
    /// Test names containing this are template copies, not test samples.
    let excludedTestMarker: String
    let groundTruthFolders: [String]

    /// Real3D-AD (`dataset_pc.py`): `good` in the name means normal; names like `12_bulge`.
    static let real3d = PointSetLayout(
        defectOf: { stem, _ in
            stem.contains("good") ? nil : trimmed(stem)
        },
        excludedTestMarker: "temp", groundTruthFolders: ["gt", "GT"])

    /// Anomaly-ShapeNet: `<class>_<type><k>`, type `positive` means normal.
    static let shapenet = PointSetLayout(
        defectOf: { stem, className in
            let type = trimmed(stem.hasPrefix(className + "_") ? String(stem.dropFirst(className.count + 1)) : stem)
            return type == "positive" ? nil : type
        },
        excludedTestMarker: "template", groundTruthFolders: ["GT", "gt"])

    /// The name without leading/trailing digits and underscores (`12_bulge` → `bulge`, `crack3` → `crack`).
    static func trimmed(_ stem: String) -> String {
        let noise = CharacterSet.decimalDigits.union(CharacterSet(charactersIn: "_-"))
        let t = stem.trimmingCharacters(in: noise)
        return t.isEmpty ? "anomalous" : t
    }

    func samples(classDir: URL, className: String, split: String) throws -> [SampleDescriptor] {
        switch split {
        case "train":
            // The official loaders glob `*template*`; the README names them `*_prototype*`: take every .pcd.
            let dir = classDir.appendingPathComponent("train")
            return try Listing.files(dir, extensions: ["pcd"]).map {
                SampleDescriptor(className: className, split: "train", defect: "good", stem: Listing.stem($0),
                                 points: dir.appendingPathComponent($0).path, label: 0)
            }
        case "test":
            let dir = classDir.appendingPathComponent("test")
            let gtDir = groundTruthFolders.map { classDir.appendingPathComponent($0) }.first(where: Listing.isDirectory)
                ?? classDir.appendingPathComponent(groundTruthFolders[0])
            return try Listing.files(dir, extensions: ["pcd"]).filter { !$0.contains(excludedTestMarker) }.map { file in
                let stem = Listing.stem(file)
                if let defect = defectOf(stem, className) {
                    let gt = gtDir.appendingPathComponent(stem + ".txt").path
                    return SampleDescriptor(className: className, split: "test", defect: defect, stem: stem,
                                            points: gt, groundTruth: gt, label: 1, pairedCloud: dir.appendingPathComponent(file).path)
                }
                return SampleDescriptor(className: className, split: "test", defect: "good", stem: stem,
                                        points: dir.appendingPathComponent(file).path, label: 0)
            }
        default:
            return []
        }
    }
}
