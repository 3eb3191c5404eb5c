import PointADSupport
import PointClouds

/// One organised sample as a protocol evaluates it: a score, a label and a defect-region id per
/// cell of the protocol's grid (`EvaluationProtocol`), row-major.
public struct ProtocolGrid: Sendable {
    public var scores: [Float]
    public var labels: [UInt8]
    public var regions: [Int32]

    /// Lays a sample out on `evaluation`'s grid.
    /// - Parameters:
    ///   - pointScores: one score per valid pixel of `grid`, in `grid.pixelIndices` order.
    ///   - map: the scorer's own map, if any: taken as is where its size is the protocol's grid
    ///     (mvtec: the scan's W×H; pointad: 336×336), ignored otherwise.
    ///   - mask: the gt on the scan's full grid; nil = defect-free.
    public init(_ evaluation: EvaluationProtocol, pointScores: [Float], map: ScoreMap?, grid: OrganizedGrid, mask: GridMask?) throws {
        guard pointScores.count == grid.pixelIndices.count else {
            throw UsageError("protocol grid: \(pointScores.count) scores for \(grid.pixelIndices.count) valid pixels")
        }
        if let mask, mask.width != grid.width || mask.height != grid.height {
            throw UsageError("protocol grid: gt mask \(mask.width)×\(mask.height) on a \(grid.width)×\(grid.height) scan")
        }
        let fullMask = mask ?? GridMask(width: grid.width, height: grid.height, values: [UInt8](repeating: 0, count: grid.width * grid.height))
        switch evaluation {
        case .points:
            scores = pointScores
            let (ids, _) = ConnectedRegions.label(mask: fullMask.values, width: grid.width, height: grid.height)
            labels = grid.pixelIndices.map { fullMask.values[$0] != 0 ? 1 : 0 }
            regions = grid.pixelIndices.map { ids[$0] }
        case .mvtec:
            if let map, map.width == grid.width, map.height == grid.height {
                scores = map.values
            } else {
                scores = Self.laidOnGrid(pointScores, grid: grid, fill: min(0, pointScores.min() ?? 0))
            }
            labels = fullMask.values.map { $0 != 0 ? 1 : 0 }
            regions = ConnectedRegions.label(mask: labels, width: grid.width, height: grid.height).ids
        case .pointad:
            let side = EvaluationProtocol.pointADSide
            if let map, map.width == side, map.height == side {
                scores = map.values
            } else {
                scores = Self.nearestResized(pointScores, grid: grid, side: side)
            }
            labels = PILBilinearMask.resize(fullMask, width: side, height: side).values
            regions = ConnectedRegions.label(mask: labels, width: side, height: side).ids
        }
    }

    /// The point scores on the full grid, `fill` where there is no point.
    static func laidOnGrid(_ pointScores: [Float], grid: OrganizedGrid, fill: Float) -> [Float] {
        var full = [Float](repeating: fill, count: grid.width * grid.height)
        for (i, pixel) in grid.pixelIndices.enumerated() { full[pixel] = pointScores[i] }
        return full
    }

    /// PointAD's grid without the detector's map: each cell takes the score of the scan pixel the
    /// reference's nearest resize of the xyz grid reads (PyTorch legacy nearest), 0 where that
    /// pixel is invalid — the unsmoothed layout; the detector's own map also carries the σ=4 blur
    /// into the background.
    static func nearestResized(_ pointScores: [Float], grid: OrganizedGrid, side: Int) -> [Float] {
        let full = laidOnGrid(pointScores, grid: grid, fill: 0)
        let xs = XYZImage.nearestSources(input: grid.width, output: side)
        let ys = XYZImage.nearestSources(input: grid.height, output: side)
        var out = [Float](repeating: 0, count: side * side)
        for y in 0..<side {
            for x in 0..<side { out[y * side + x] = full[ys[y] * grid.width + xs[x]] }
        }
        return out
    }
}
