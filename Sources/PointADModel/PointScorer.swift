import PointADSupport
import PointClouds
import Rendering
import TensorCore

/// Scores one cloud from its views' CLIP features: rendering layer, geometry layer (PointAD+),
/// smoothing, RGB fusion, object score. Pure computation on tensors; `Detector` feeds it.
public struct PointScorer: Sendable {
    public let rendering: RenderingLayer
    public let geometry: GeometryLayer?
    public let settings: ScoringSettings

    /// `geometryPrompts` is required for `.pointadPlus` and ignored otherwise.
    public init(renderingPrompts: PromptFeatures, geometryPrompts: PromptFeatures? = nil, settings: ScoringSettings) throws {
        try settings.validate()
        rendering = RenderingLayer(prompts: renderingPrompts, temperature: settings.temperature)
        if settings.method == .pointadPlus {
            guard let geometryPrompts else { throw UsageError("PointAD+ needs geometry prompts; the prompts file has only rendering prompts (use --method pointad)") }
            guard geometryPrompts.width == renderingPrompts.width else {
                throw UsageError("geometry prompts of width \(geometryPrompts.width) vs rendering prompts of width \(renderingPrompts.width)")
            }
            geometry = GeometryLayer(prompts: geometryPrompts, aggregation: settings.aggregation, temperature: settings.temperature)
        } else {
            geometry = nil
        }
        self.settings = settings
    }

    /// Points no view sees take, on organised scans, the reference's rule (the views of the nearest
    /// seen point in grid order, their own pixels); on unorganised clouds the score of the nearest
    /// seen point in space, unless `settings.behaviour` is `.reference` (then as the authors' code).
    public func score(views: [ViewFeatures], projections: [ViewProjection], cloud: CloudGeometry,
                      rgb: RGBFeatures? = nil) throws -> CloudScores {
        let n = cloud.positions.count
        guard n > 0 else { throw UsageError("cannot score an empty point cloud") }
        guard projections.allSatisfy({ $0.count == n }) else {
            throw UsageError("projections cover \(projections.first?.count ?? 0) points, the cloud has \(n)")
        }
        // The reference behaviour lays an unorganised cloud's point list on the 336×336 grid, as the
        // authors' code reshapes Real3D-AD's 112,896 points: unseen points then take the views of
        // the nearest seen point in file order, and the map is smoothed as that image.
        let scoringGrid = cloud.grid ?? (settings.behaviour == .reference ? Self.pointListGrid(n, side: projections.first?.size ?? 0) : nil)
        let unseen: UnseenPoints = scoringGrid.map { .nearestSeenIndex(grid: $0) } ?? .nearestSeenPoint
        let renderingScores = try rendering.score(views: views, projections: projections, positions: cloud.positions, unseen: unseen)

        var geometryScores: [Float]?
        if let geometry {
            guard let neighbourhoods = cloud.neighbourhoods, neighbourhoods.pointCount == n else {
                throw UsageError("PointAD+ needs the cloud's nearest neighbours")
            }
            let tokens = try PatchMixture.stack(views)
            let mixture = PatchMixture(upsampler: renderingScores.upsampler, projections: projections)
            let weights = geometry.aggregation.weights(positions: cloud.positions, normals: cloud.normals, neighbourhoods: neighbourhoods)
            geometryScores = try geometry.score(tokens: tokens, mixture: mixture, weights: weights, neighbourhoods: neighbourhoods,
                                                positions: cloud.positions)
        }
        let fusion = settings.fusion
        let raw = fusion.combine(rendering: renderingScores.pointScores, geometry: geometryScores)

        var points: [Float]
        var object: Float
        var rgbGlobal: Float?, rgbGrid: [Float]?, gridMap: [Float]?
        if let grid = scoringGrid {
            let (map, smoothed) = fusion.smoothOnGrid(raw, width: grid.width, height: grid.height, pixelIndices: grid.pixelIndices)
            points = smoothed
            gridMap = map
            object = ScoreFusion.objectScore(mapMaximum: map.max() ?? 0, globalProbability: renderingScores.globalProbability)
            if let rgb {
                let colourGrid = try rendering.patchProbabilities(rgb.features)
                let colourGlobal = try PatchScoring.abnormalProbability(rgb.features.classEmbedding, prompts: rendering.prompts, temperature: settings.temperature)
                let colourMap = Self.upsample(colourGrid, side: rgb.features.gridSide, width: grid.width, height: grid.height)
                let fused = fusion.fuseRGB(pointMap: map, rgbMap: colourMap, width: grid.width, height: grid.height,
                                           pointGlobal: renderingScores.globalProbability, rgbGlobal: colourGlobal)
                points = grid.pixelIndices.map { fused.map[$0] }
                gridMap = fused.map
                object = fused.objectScore
                rgbGlobal = colourGlobal
                rgbGrid = colourGrid
            }
        } else {
            guard rgb == nil else { throw UsageError("RGB fusion needs an organised scan (an MVTec 3D-AD xyz TIFF) whose pixels align with the image") }
            points = SpatialSmoothing.smooth(raw, positions: cloud.positions, neighbours: fusion.smoothingNeighbours)
            object = ScoreFusion.objectScore(mapMaximum: points.max() ?? 0, globalProbability: renderingScores.globalProbability)
        }
        return CloudScores(method: settings.method, objectScore: object, pointScores: points, gridMap: gridMap,
                           renderingPointScores: renderingScores.pointScores, geometryPointScores: geometryScores,
                           rendering: renderingScores, rgbGlobalProbability: rgbGlobal, rgbPatchProbabilities: rgbGrid)
    }

    /// Points 0..<n in row-major cells of a side² grid (nil when they do not fit).
    static func pointListGrid(_ n: Int, side: Int) -> OrganizedGrid? {
        n <= side * side ? OrganizedGrid(width: side, height: side, pixelIndices: Array(0..<n)) : nil
    }

    /// A patch grid bilinearly upsampled to a `width × height` image (align_corners false per axis).
    static func upsample(_ grid: [Float], side: Int, width: Int, height: Int) -> [Float] {
        let across = BilinearUpsampler(source: side, target: width), down = BilinearUpsampler(source: side, target: height)
        var out = [Float](repeating: 0, count: width * height)
        grid.withUnsafeBufferPointer { g in
            for y in 0..<height {
                let (y0, y1, ly) = (Int(down.lower[y]), Int(down.upper[y]), down.upperWeight[y])
                for x in 0..<width {
                    let (x0, x1, lx) = (Int(across.lower[x]), Int(across.upper[x]), across.upperWeight[x])
                    let r0 = g.baseAddress! + y0 * side, r1 = g.baseAddress! + y1 * side
                    out[y * width + x] = (1 - ly) * ((1 - lx) * r0[x0] + lx * r0[x1]) + ly * ((1 - lx) * r1[x0] + lx * r1[x1])
                }
            }
        }
        return out
    }
}
