import Imaging
import Rendering

/// Paints a cloud's final (fused, smoothed) per-point scores into one of its rendered views, so
/// every view of a sheet shows the same per-point result rather than that view's own patch map.
///
/// Each visible point colours its pixel (the mean when several share one); object pixels the
/// splats cover but no visible point lands on take the mean of their painted neighbours, a few
/// pixels deep, so sparse clouds show no speckle. The white background stays white (untinted),
/// and the grey shading of the render modulates the colour so the shape stays readable. With
/// labels, the outline of the ground-truth region is drawn in magenta.
public enum FusedViewPainter {
    public static let outlineColor = SIMD3<Float>(1, 0, 1)
    /// Render pixels at least this bright in every channel are background.
    static let backgroundLevel: Float = 0.97
    /// How many pixels deep scores and labels spread from visible points over the object's splats.
    static let fillPasses = 4

    /// `image`: the rendered view (grey on white); `projection`: where each point of the scored cloud
    /// lands; `pointScores` and `labels` (nonzero = defect): one per point of that cloud.
    /// `outlineWidth` (pixels) keeps the outline visible after a sheet is shrunk.
    public static func paint(_ image: Image, projection: ViewProjection, pointScores: [Float], labels: [UInt8]? = nil,
                             colorMap: ColorMap = .jet, outlineWidth: Int = 1) -> Image {
        let width = image.width, height = image.height, n = width * height
        precondition(projection.size == width && width == height && pointScores.count == projection.count,
                     "a \(projection.size)-pixel projection of \(projection.count) points for a \(width)×\(height) view with \(pointScores.count) scores")
        let labels = labels.flatMap { $0.count == pointScores.count ? $0 : nil }
        var grey = [Float](repeating: 1, count: n)
        for i in 0..<n {
            if image.channels >= 3 {
                let b = i * image.channels
                grey[i] = min(image.pixels[b], image.pixels[b + 1], image.pixels[b + 2])
            } else {
                grey[i] = image.pixels[i * image.channels]
            }
        }
        let object = grey.map { $0 < backgroundLevel }
        var sum = [Float](repeating: 0, count: n), count = [Float](repeating: 0, count: n)
        var defect = [Bool](repeating: false, count: n)
        for i in 0..<projection.count where projection.visible[i] {
            let p = Int(projection.pixels[i])
            sum[p] += pointScores[i]
            count[p] += 1
            if let labels, labels[i] != 0 { defect[p] = true }
        }
        var score = (0..<n).map { count[$0] > 0 ? sum[$0] / count[$0] : -1 }
        var known = (0..<n).map { count[$0] > 0 }
        // Grow scores (and labels) into the object's unpainted splat pixels.
        for _ in 0..<fillPasses {
            var nextScore = score, nextKnown = known, nextDefect = defect
            for y in 0..<height {
                for x in 0..<width {
                    let p = y * width + x
                    guard object[p], !known[p] else { continue }
                    var total: Float = 0, seen: Float = 0, anyDefect = false
                    for dy in -1...1 {
                        for dx in -1...1 {
                            let qx = x + dx, qy = y + dy
                            guard qx >= 0, qy >= 0, qx < width, qy < height else { continue }
                            let q = qy * width + qx
                            if known[q] { total += score[q]; seen += 1; anyDefect = anyDefect || defect[q] }
                        }
                    }
                    if seen > 0 { nextScore[p] = total / seen; nextKnown[p] = true; nextDefect[p] = anyDefect }
                }
            }
            score = nextScore; known = nextKnown; defect = nextDefect
        }
        var out = Image(width: width, height: height, channels: 3, fill: 1)
        for p in 0..<n where object[p] {
            // Shading: the render's grey (at most ~0.7 lit) scaled to [0.55, 1] of the colour.
            let shade = 0.55 + 0.45 * min(grey[p] / 0.7, 1)
            let color = known[p] ? colorMap.color(score[p]) * shade : SIMD3(repeating: grey[p])
            out.setPixel(x: p % width, y: p / width, color: color)
        }
        if labels != nil { drawOutline(of: defect, on: &out, width: outlineWidth) }
        return out
    }

    /// Marks the pixels of `region` within `width` pixels of a pixel outside it.
    static func drawOutline(of region: [Bool], on image: inout Image, width: Int) {
        let w = image.width, h = image.height
        for y in 0..<h {
            for x in 0..<w where region[y * w + x] {
                var edge = false
                for d in 1...max(width, 1) where !edge {
                    for (dx, dy) in [(d, 0), (-d, 0), (0, d), (0, -d)] {
                        let qx = x + dx, qy = y + dy
                        if qx < 0 || qy < 0 || qx >= w || qy >= h || !region[qy * w + qx] { edge = true; break }
                    }
                }
                if edge { image.setPixel(x: x, y: y, color: outlineColor) }
            }
        }
    }
}
