import Imaging

/// Several same-sized views tiled into one picture (row-major, `columns` per row, white gaps),
/// each first shrunk by an integer `shrink` factor with a box filter — for READMEs and quick looks.
public enum ViewMontage {
    public static func tile(_ images: [Image], columns: Int = 3, shrink: Int = 1, gap: Int = 2) -> Image? {
        guard let first = images.first, columns > 0, shrink > 0,
              images.allSatisfy({ $0.width == first.width && $0.height == first.height && $0.channels == first.channels })
        else { return nil }
        let w = first.width / shrink, h = first.height / shrink, c = first.channels
        let rows = (images.count + columns - 1) / columns
        let width = columns * w + (columns - 1) * gap, height = rows * h + (rows - 1) * gap
        var out = Image(width: width, height: height, channels: c, fill: 1)
        let norm = 1 / Float(shrink * shrink)
        for (k, image) in images.enumerated() {
            let x0 = (k % columns) * (w + gap), y0 = (k / columns) * (h + gap)
            for y in 0..<h {
                for x in 0..<w {
                    for ch in 0..<c {
                        var sum: Float = 0
                        for dy in 0..<shrink {
                            for dx in 0..<shrink { sum += image[x * shrink + dx, y * shrink + dy, ch] }
                        }
                        out[x0 + x, y0 + y, ch] = sum * norm
                    }
                }
            }
        }
        return out
    }
}
