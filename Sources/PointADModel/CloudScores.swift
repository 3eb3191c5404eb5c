/// Everything a scored cloud yields.
public struct CloudScores: Sendable {
    public let method: DetectionMethod
    /// The object's anomaly score in [0, 1].
    public let objectScore: Float
    /// Final per-point scores (combined, smoothed, RGB-fused when an image was given), in [0, 1].
    public let pointScores: [Float]
    /// Organised scans: the smoothed (and RGB-fused) map on the grid the scores were read from.
    public let gridMap: [Float]?
    /// Rendering-layer point scores before smoothing.
    public let renderingPointScores: [Float]
    /// Geometry-layer point scores before smoothing (PointAD+ only).
    public let geometryPointScores: [Float]?
    /// Rendering-layer results per view (patch maps, global probabilities).
    public let rendering: RenderingLayerScores
    /// Mean over views of the class-token abnormal probability.
    public var globalProbability: Float { rendering.globalProbability }
    /// The RGB image's abnormal probability and patch map, when one was given.
    public let rgbGlobalProbability: Float?
    public let rgbPatchProbabilities: [Float]?
}
