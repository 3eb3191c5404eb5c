import Rendering

/// The Open3D `point_size` a class's views are drawn with, and why. The authors' render scripts set
/// it per class for MVTec 3D-AD and per dataset otherwise (dossier §2.1); prompts trained on their
/// renders expect those splats.
public struct ClassPointSize: Sendable, Equatable {
    public var pointSize: Int
    /// Where the size comes from, for results.json and the checkpoint's metadata.
    public var origin: String

    /// `multiview_mvtec.py`'s per-class sizes.
    public static let mvtec3d: [String: Int] = [
        "bagel": 7, "cable_gland": 12, "carrot": 7, "cookie": 6, "dowel": 10,
        "rope": 5, "peach": 7, "foam": 8, "potato": 8, "tire": 8,
    ]

    /// The dataset's reference view set, the one the authors' script for it renders with (nil: none).
    public static func referenceViews(for dataset: DatasetKind) -> ViewSet? {
        switch dataset {
        case .mvtec3d: .mvtec
        case .eyecandies: .eyecandies
        // Anomaly-ShapeNet is rendered with the Real3D-AD script (GS-CLIP's copy of it).
        case .real3d, .shapenet: .real3D
        case .plain: nil
        }
    }

    /// The size for `className` of `dataset` when its views are `views` (nil: no view set is known
    /// yet, the detector picks one per cloud). An `explicit` size (`--point-size`) always wins; the
    /// reference's per-class size applies only with the dataset's own view set; an MVTec 3D-AD class
    /// the reference does not name, or another view set, keeps the view set's default.
    public static func resolve(dataset: DatasetKind, className: String, views: ViewSet?, explicit: Int?) -> ClassPointSize? {
        if let explicit { return ClassPointSize(pointSize: explicit, origin: "given with --point-size") }
        guard let views else { return nil }
        guard let reference = referenceViews(for: dataset), reference.name == views.name else {
            return ClassPointSize(pointSize: views.raster.pointSize,
                                  origin: "the \(views.name) view set's default (not \(dataset.rawValue)'s reference view set, so no per-class size)")
        }
        guard dataset == .mvtec3d else {
            return ClassPointSize(pointSize: views.raster.pointSize, origin: "the \(views.name) view set's size, the reference's for every \(dataset.rawValue) class")
        }
        if let size = mvtec3d[className] {
            return ClassPointSize(pointSize: size, origin: "the reference's size for MVTec 3D-AD \(className) (multiview_mvtec.py)")
        }
        return ClassPointSize(pointSize: views.raster.pointSize,
                              origin: "'\(className)' is not an MVTec 3D-AD class the reference names: the \(views.name) view set's default")
    }

    /// The sizes of `classes` (duplicates allowed) rendered with `views`, nil meaning the detector's
    /// per-cloud choice: MVTec's views for the organised scans of MVTec 3D-AD and Eyecandies, none
    /// known for unorganised clouds (then only an explicit size is recorded).
    public static func forClasses(_ classes: [String], dataset: DatasetKind, views: ViewSet?, explicit: Int?) -> [String: ClassPointSize] {
        let rendering = views ?? (dataset.hasRegions ? .mvtec : nil)
        var sizes: [String: ClassPointSize] = [:]
        for name in Set(classes) {
            sizes[name] = resolve(dataset: dataset, className: name, views: rendering, explicit: explicit)
        }
        return sizes
    }

    /// "7 (why)", as results.json and the checkpoint record it.
    public var description: String { "\(pointSize) (\(origin))" }
}
