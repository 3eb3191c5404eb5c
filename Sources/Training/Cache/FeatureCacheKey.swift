/// What the cached features depend on. A cache whose key differs from the current run's in any
/// field is rebuilt; otherwise it is reused as is.
public struct FeatureCacheKey: Sendable, Equatable, Codable {
    /// Identity of the CLIP weights (folder, configuration and weight file size/date).
    public var model: String
    public var imageSize: Int
    /// 1-based vision blocks whose patch tokens are cached.
    public var layers: [Int]
    public var dpamLayer: Int?
    /// The renderer's settings and view set, as text.
    public var renderer: String
    /// The training samples (paths with sizes and dates, labels).
    public var data: String
    /// PointAD+ geometry-layer settings (nil when the geometry layer is not trained).
    public var geometry: String?

    public init(model: String, imageSize: Int, layers: [Int], dpamLayer: Int?, renderer: String, data: String, geometry: String? = nil) {
        self.model = model
        self.imageSize = imageSize
        self.layers = layers
        self.dpamLayer = dpamLayer
        self.renderer = renderer
        self.data = data
        self.geometry = geometry
    }

    /// The first field that differs from `other`, for the log line saying why a cache is rebuilt.
    public func firstDifference(from other: FeatureCacheKey) -> String? {
        if model != other.model { return "model" }
        if imageSize != other.imageSize { return "image size" }
        if layers != other.layers { return "layers" }
        if dpamLayer != other.dpamLayer { return "DPAM layer" }
        if renderer != other.renderer { return "renderer settings" }
        if data != other.data { return "training data" }
        if geometry != other.geometry { return "geometry settings" }
        return nil
    }
}
