import Imaging
import PointADSupport
import PointClouds

/// Pictures of an organised scan's result at its own H×W resolution (MVTec 3D-AD, Eyecandies):
/// the anomaly map itself, and the map laid over the scan's registered colour image.
public enum ScanMapPicture {
    /// H×W, each measured pixel in the colour of its point's score; pixels without a measurement white.
    public static func anomalyMap(pointScores: [Float], grid: OrganizedGrid, colorMap: ColorMap = .jet) -> Image {
        var image = Image(width: grid.width, height: grid.height, channels: 3, fill: 1)
        for (i, pixel) in grid.pixelIndices.enumerated() where i < pointScores.count {
            image.setPixel(x: pixel % grid.width, y: pixel / grid.width, color: colorMap.color(pointScores[i]))
        }
        return image
    }

    /// The colour image with the scores blended over its measured pixels (`alpha` = map opacity) and,
    /// with labels, the ground-truth outline in magenta. The image must have the scan's H×W size.
    public static func rgbOverlay(_ rgb: Image, pointScores: [Float], grid: OrganizedGrid, labels: [UInt8]? = nil,
                                  alpha: Float = 0.5, colorMap: ColorMap = .jet) throws -> Image {
        guard rgb.width == grid.width, rgb.height == grid.height else {
            throw UsageError("the RGB image is \(rgb.width)×\(rgb.height) but the scan is \(grid.width)×\(grid.height)")
        }
        var out = Image(width: rgb.width, height: rgb.height, channels: 3, fill: 0)
        for p in 0..<(rgb.width * rgb.height) {
            let b = p * rgb.channels
            out.setPixel(x: p % rgb.width, y: p / rgb.width,
                         color: rgb.channels >= 3 ? SIMD3(rgb.pixels[b], rgb.pixels[b + 1], rgb.pixels[b + 2]) : SIMD3(repeating: rgb.pixels[b]))
        }
        var defect = [Bool](repeating: false, count: rgb.width * rgb.height)
        for (i, pixel) in grid.pixelIndices.enumerated() where i < pointScores.count {
            let x = pixel % grid.width, y = pixel / grid.width
            let base = SIMD3(out[x, y, 0], out[x, y, 1], out[x, y, 2])
            out.setPixel(x: x, y: y, color: (1 - alpha) * base + alpha * colorMap.color(pointScores[i]))
            if let labels, i < labels.count, labels[i] != 0 { defect[pixel] = true }
        }
        if labels != nil { FusedViewPainter.drawOutline(of: defect, on: &out, width: 2) }
        return out
    }
}
