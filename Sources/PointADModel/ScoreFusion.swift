import PointADSupport
import Rendering

/// How per-layer point scores become final point scores and an object score (dossier §7):
/// point map → Gaussian smoothing → object score = ½ · max(smoothed map) + ½ · global probability.
public struct ScoreFusion: Sendable, Equatable, Codable {
    /// Share of the geometry layer in a PointAD+ point score: (1 − β) s^r + β s^g.
    public var geometryWeight: Float = 0.5
    /// σ (pixels) of the Gaussian on organised grids; the reference uses 4.
    public var gridSigma: Double = 4
    /// Neighbours of the 3-D Gaussian (Rendering's `SpatialSmoothing`) used on unorganised clouds.
    public var smoothingNeighbours: Int = 16

    public init(geometryWeight: Float = 0.5, gridSigma: Double = 4, smoothingNeighbours: Int = 16) {
        self.geometryWeight = geometryWeight
        self.gridSigma = gridSigma
        self.smoothingNeighbours = smoothingNeighbours
    }

    public func validate() throws {
        guard (0...1).contains(geometryWeight) else { throw UsageError("fusion: geometry weight must be in [0, 1], got \(geometryWeight)") }
        guard gridSigma >= 0, gridSigma.isFinite else { throw UsageError("fusion: grid sigma must be ≥ 0, got \(gridSigma)") }
        guard smoothingNeighbours >= 1 else { throw UsageError("fusion: smoothing neighbours must be ≥ 1, got \(smoothingNeighbours)") }
    }

    /// Raw point scores of the chosen method.
    public func combine(rendering: [Float], geometry: [Float]?) -> [Float] {
        guard let geometry else { return rendering }
        let b = geometryWeight
        return zip(rendering, geometry).map { (1 - b) * $0 + b * $1 }
    }

    /// Organised scan: lays the scores on the grid (missing pixels 0), blurs, reads the points back.
    /// Returns the smoothed grid map and the smoothed point scores.
    public func smoothOnGrid(_ scores: [Float], width: Int, height: Int, pixelIndices: [Int]) -> (map: [Float], points: [Float]) {
        var map = [Float](repeating: 0, count: width * height)
        for (j, pixel) in pixelIndices.enumerated() { map[pixel] = scores[j] }
        let smoothed = GaussianSmoothing.filter(map, width: width, height: height, sigma: gridSigma)
        return (smoothed, pixelIndices.map { smoothed[$0] })
    }

    /// The reference's point-only object score: ½ · max(smoothed map) + ½ · mean-over-views global probability.
    public static func objectScore(mapMaximum: Float, globalProbability: Float) -> Float {
        0.5 * mapMaximum + 0.5 * globalProbability
    }

    /// RGB plug-and-play on a pixel-aligned grid (dossier §7.5): F = G((G(rgbMap) + pointMap) / 2),
    /// with `pointMap` already smoothed. The reference's fused object score
    /// max(F) + (p_rgb + p_points)/2 lies in [0, 2]; this returns half of it, in [0, 1], which ranks
    /// objects identically.
    public func fuseRGB(pointMap: [Float], rgbMap: [Float], width: Int, height: Int,
                        pointGlobal: Float, rgbGlobal: Float) -> (map: [Float], objectScore: Float) {
        let colour = GaussianSmoothing.filter(rgbMap, width: width, height: height, sigma: gridSigma)
        let mean = zip(colour, pointMap).map { 0.5 * ($0 + $1) }
        let fused = GaussianSmoothing.filter(mean, width: width, height: height, sigma: gridSigma)
        let peak = fused.max() ?? 0
        return (fused, 0.5 * peak + 0.5 * 0.5 * (rgbGlobal + pointGlobal))
    }
}
