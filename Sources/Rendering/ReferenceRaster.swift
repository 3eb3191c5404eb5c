/// How the authors' Open3D scripts draw one dataset's views (dossier §2.1, `open3d-rendering.md`):
/// the capture window's side, the square point size in window pixels, and the normal search
/// (Open3D's `KDTreeSearchParamHybrid`). A view set carries its dataset's raster, so choosing the
/// view set chooses all of them.
public struct ReferenceRaster: Sendable, Equatable {
    /// Side of the square capture window, in pixels.
    public var window: Int
    /// Side of each point's square splat, in window pixels.
    public var pointSize: Int
    /// Normals: PCA over at most `normalNeighbours` points within `normalRadius` (cloud units).
    public var normalRadius: Float
    public var normalNeighbours: Int
    /// The ground-truth window (light off, black background): 1036 pixels, point size 6, for every dataset.
    public var maskWindow: Int
    public var maskPointSize: Int

    public init(window: Int, pointSize: Int, normalRadius: Float, normalNeighbours: Int, maskWindow: Int = 1036, maskPointSize: Int = 6) {
        self.window = window
        self.pointSize = pointSize
        self.normalRadius = normalRadius
        self.normalNeighbours = normalNeighbours
        self.maskWindow = maskWindow
        self.maskPointSize = maskPointSize
    }

    /// `multiview_mvtec.py`: window 1024, point size 7 (the script's default class), hybrid(0.1 m, 50).
    public static let mvtec = ReferenceRaster(window: 1024, pointSize: 7, normalRadius: 0.1, normalNeighbours: 50)
    /// `multiview_eyecandies.py`: window 1036, point size 10, hybrid(0.1, 50).
    public static let eyecandies = ReferenceRaster(window: 1036, pointSize: 10, normalRadius: 0.1, normalNeighbours: 50)
    /// `multiview_real3d.py`: window 1036, point size 12, hybrid(0.8, 30) (Real3D-AD is in millimetres).
    public static let real3D = ReferenceRaster(window: 1036, pointSize: 12, normalRadius: 0.8, normalNeighbours: 30)
    /// Clouds of unknown units: MVTec's window and point size, 30 nearest neighbours without a radius.
    public static let generic = ReferenceRaster(window: 1024, pointSize: 7, normalRadius: .infinity, normalNeighbours: 30)
}
