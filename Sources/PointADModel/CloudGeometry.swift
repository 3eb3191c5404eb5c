import PointClouds

/// The geometry of the cloud being scored, as the layers need it.
public struct CloudGeometry: Sendable {
    public let positions: [SIMD3<Float>]
    public let normals: [SIMD3<Float>]?
    /// Set for organised scans: scores are smoothed on this grid (and RGB fused on it).
    public let grid: OrganizedGrid?
    /// k nearest neighbours; needed for PointAD+.
    public let neighbourhoods: PointNeighbourhoods?

    public init(positions: [SIMD3<Float>], normals: [SIMD3<Float>]? = nil, grid: OrganizedGrid? = nil,
                neighbourhoods: PointNeighbourhoods? = nil) {
        self.positions = positions
        self.normals = normals
        self.grid = grid
        self.neighbourhoods = neighbourhoods
    }
}

/// The RGB image's side of RGB plug-and-play: its CLIP features (one view, same prompts).
public struct RGBFeatures: Sendable {
    public let features: ViewFeatures
    public init(_ features: ViewFeatures) { self.features = features }
}
