/// Everything that decides what a view looks like and how points map to pixels.
public struct RenderSettings: Sendable, Equatable {
    /// Side of the output images and of the correspondence grid (CLIP's input size).
    public var size: Int
    /// How images are drawn: as the reference, at the view set's window (the default), or on the
    /// supersampled grid below.
    public var raster: RasterMode
    /// Images are drawn at `size · supersampling` and filtered down (≥ 1; the reference draws at 1024
    /// and bicubic-resizes to 336, about 3×).
    public var supersampling: Int
    public var framing: Framing
    /// Half the side (square) or the radius (disc) of a point's splat, in output pixels. The default
    /// is Open3D's point_size 7 at 1024 pixels seen at 336: 7/2 · 336/1024.
    public var splatRadius: Double
    /// Grow splats (never shrink them) to a half-width of the cloud's typical point spacing as seen at the
    /// object's depth, so sparse scans render without holes and back surfaces do not show through.
    /// Off by default: the reference draws a fixed point size.
    public var coverGaps: Bool
    public var splatShape: SplatShape
    public var shading: Shading
    public var visibility: VisibilityTest
    public var filter: SupersampleFilter
    /// Splat radius of the label masks (the reference draws them with point_size 6 at 1036 pixels).
    public var maskSplatRadius: Double

    public init(size: Int = 336, raster: RasterMode = .reference, supersampling: Int = 3, framing: Framing = .open3D(),
                splatRadius: Double = 3.5 * 336 / 1024, coverGaps: Bool = false, splatShape: SplatShape = .square,
                shading: Shading = Shading(), visibility: VisibilityTest = .nearestPoint,
                filter: SupersampleFilter = .bicubic, maskSplatRadius: Double = 3.0 * 336 / 1036) {
        self.size = size
        self.raster = raster
        self.supersampling = supersampling
        self.framing = framing
        self.splatRadius = splatRadius
        self.coverGaps = coverGaps
        self.splatShape = splatShape
        self.shading = shading
        self.visibility = visibility
        self.filter = filter
        self.maskSplatRadius = maskSplatRadius
    }

    /// The splat radius that Open3D's integer `pointSize` in a `window`-pixel render has at `size`.
    public static func splatRadius(open3DPointSize pointSize: Int, window: Int, size: Int = 336) -> Double {
        Double(pointSize) / 2 * Double(size) / Double(window)
    }
}

/// Where the images are drawn before they are filtered to `size`.
public enum RasterMode: Sendable, Equatable {
    /// Open3D's way: square splats of the view set's point size in its window (1024 or 1036
    /// pixels), OpenGL pixel centres, 8-bit values, then PIL's antialiased bicubic resize.
    case reference
    /// The same with another window side and point size (e.g. MVTec's per-class point sizes).
    case window(side: Int, pointSize: Int)
    /// `size · supersampling` grid, splats of `splatRadius` output pixels, then `filter`.
    case supersampled
}

/// The footprint of one point on the image.
public enum SplatShape: String, Sendable, Equatable, CaseIterable {
    /// Axis-aligned square, as OpenGL points in the reference.
    case square
    /// Round disc.
    case disc
}
