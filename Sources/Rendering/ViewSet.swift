/// The views a cloud is rendered from: an optional rotation applied before every view (how a dataset's
/// scans are turned to face the camera), then one rotation per view, all about the cloud's centroid.
///
/// Presets follow the authors' scripts (dossier §2.4–2.6). The camera is refitted per view, so the
/// pre-rotation matters only through the direction the object faces, never its position.
public struct ViewSet: Sendable, Equatable {
    public var name: String
    public var preRotation: RotationMatrix
    public var views: [ViewRotation]
    /// The dataset's window, point size and normal search, as its reference script renders.
    public var raster: ReferenceRaster

    public init(name: String, preRotation: RotationMatrix = .identity, views: [ViewRotation], raster: ReferenceRaster = .generic) {
        self.name = name
        self.preRotation = preRotation
        self.views = views
        self.raster = raster
    }

    public var count: Int { views.count }

    /// The same views drawn with another point size in the set's window (nil: unchanged), as the
    /// authors' MVTec 3D-AD script sets `point_size` per class.
    public func withPointSize(_ pointSize: Int?) -> ViewSet {
        guard let pointSize else { return self }
        var copy = self
        copy.raster.pointSize = pointSize
        return copy
    }

    /// The full rotation of view `k`: the pre-rotation, then the view's own turn.
    public func matrix(_ k: Int) -> RotationMatrix { views[k].matrix.composed(with: preRotation) }

    /// PointAD's nine views: −45, −15, 0, 15, 45° about x, then −30, −15, 15, 30° about y.
    public static let pointAD = ViewSet(
        name: "pointad",
        views: [-45, -15, 0, 15, 45].map { ViewRotation(.x, $0) } + [-30, -15, 15, 30].map { ViewRotation(.y, $0) })

    /// MVTec 3D-AD: the scanner looks along +z, so the cloud is first flipped 180° about x to face the
    /// camera, then PointAD's nine views.
    public static let mvtec = ViewSet(name: "mvtec", preRotation: RotationMatrix(axis: .x, degrees: 180), views: pointAD.views,
                                   raster: .mvtec)

    /// Eyecandies: tilted 45° about x, then −30, −15, 0, 10, 20° about x and −30, −15, 15, 30° about y.
    public static let eyecandies = ViewSet(
        name: "eyecandies", preRotation: RotationMatrix(axis: .x, degrees: 45),
        views: [-30, -15, 0, 10, 20].map { ViewRotation(.x, $0) } + [-30, -15, 15, 30].map { ViewRotation(.y, $0) },
        raster: .eyecandies)

    /// Real3D-AD (360° scans): flipped 180° about x, then nine turns about x from −144° to 144° in 36° steps.
    public static let real3D = ViewSet(
        name: "real3d", preRotation: RotationMatrix(axis: .x, degrees: 180),
        views: stride(from: -144.0, through: 144.0, by: 36).map { ViewRotation(.x, $0) }, raster: .real3D)

    /// `count` views evenly spaced over a full turn about `axis`, starting at 0°.
    public static func orbit(count: Int, axis: ViewRotation.Axis = .y) -> ViewSet {
        ViewSet(name: "orbit\(count)\(axis.rawValue)",
                views: (0..<max(count, 0)).map { ViewRotation(axis, 360 * Double($0) / Double(count)) })
    }

    /// The presets by name, for command lines.
    public static let presets: [String: ViewSet] = [
        "pointad": .pointAD, "mvtec": .mvtec, "eyecandies": .eyecandies, "real3d": .real3D,
    ]
}
