/// A point cloud as read from a file: positions and whatever else the file carried.
///
/// Positions are float32 (x, y, z). Optional per-point attributes have one entry per point.
/// `scalars` holds named per-point fields (e.g. "label" from ground truth, "anomaly" scores,
/// "intensity"). For organised scans (MVTec 3D-AD TIFF) `grid` records where each point sat in
/// the image, so per-point results can be written back as pixel maps.
public struct PointCloud: Sendable {
    public var positions: [SIMD3<Float>]
    public var normals: [SIMD3<Float>]?
    /// Colours in [0, 1].
    public var colors: [SIMD3<Float>]?
    public var scalars: [String: [Float]]
    public var grid: OrganizedGrid?
    /// The file the cloud was read from, if any (for error messages and outputs).
    public var source: String?

    public init(positions: [SIMD3<Float>], normals: [SIMD3<Float>]? = nil, colors: [SIMD3<Float>]? = nil,
                scalars: [String: [Float]] = [:], grid: OrganizedGrid? = nil, source: String? = nil) {
        self.positions = positions
        self.normals = normals
        self.colors = colors
        self.scalars = scalars
        self.grid = grid
        self.source = source
    }

    public var count: Int { positions.count }
}

/// Where the points of an organised scan came from: an H×W grid of which only valid pixels
/// (not (0,0,0), all finite) became points, in row-major order.
public struct OrganizedGrid: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// Row-major pixel index (y·width + x) of each point, ascending.
    public let pixelIndices: [Int]

    public init(width: Int, height: Int, pixelIndices: [Int]) {
        self.width = width
        self.height = height
        self.pixelIndices = pixelIndices
    }
}
