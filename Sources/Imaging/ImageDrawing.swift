/// The few drawing operations the annotated pictures need: filled rectangles, rectangle outlines
/// and pasting one image into another. Everything is clipped to the image.
extension Image {
    /// Sets one pixel to `color` (RGB; grey images take its mean; alpha, if any, becomes opaque).
    @inlinable public mutating func setPixel(x: Int, y: Int, color: SIMD3<Float>) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let base = (y * width + x) * channels
        if channels >= 3 {
            pixels[base] = color.x; pixels[base + 1] = color.y; pixels[base + 2] = color.z
            if channels == 4 { pixels[base + 3] = 1 }
        } else {
            pixels[base] = (color.x + color.y + color.z) / 3
            if channels == 2 { pixels[base + 1] = 1 }
        }
    }

    /// Fills the rectangle [x, x + width) × [y, y + height) with `color`.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, color: SIMD3<Float>) {
        let x0 = max(x, 0), y0 = max(y, 0), x1 = min(x + w, width), y1 = min(y + h, height)
        guard x0 < x1, y0 < y1 else { return }
        for row in y0..<y1 { for column in x0..<x1 { setPixel(x: column, y: row, color: color) } }
    }

    /// A one-pixel rectangle outline around [x, x + width) × [y, y + height).
    public mutating func strokeRectangle(x: Int, y: Int, width w: Int, height h: Int, color: SIMD3<Float>) {
        fill(x: x, y: y, width: w, height: 1, color: color)
        fill(x: x, y: y + h - 1, width: w, height: 1, color: color)
        fill(x: x, y: y, width: 1, height: h, color: color)
        fill(x: x + w - 1, y: y, width: 1, height: h, color: color)
    }

    /// Copies `image` (grey or RGB) with its top-left corner at (x, y).
    public mutating func paste(_ image: Image, x: Int, y: Int) {
        for row in 0..<image.height {
            for column in 0..<image.width {
                let base = (row * image.width + column) * image.channels
                let color = image.channels >= 3
                    ? SIMD3(image.pixels[base], image.pixels[base + 1], image.pixels[base + 2])
                    : SIMD3(repeating: image.pixels[base])
                setPixel(x: x + column, y: y + row, color: color)
            }
        }
    }

    /// The image shrunk by an integer factor with a box filter (thumbnails).
    public func shrunk(by factor: Int) -> Image {
        guard factor > 1 else { return self }
        let w = width / factor, h = height / factor
        var out = Image(width: w, height: h, channels: channels, fill: 0)
        let norm = 1 / Float(factor * factor)
        for y in 0..<h {
            for x in 0..<w {
                for c in 0..<channels {
                    var sum: Float = 0
                    for dy in 0..<factor { for dx in 0..<factor { sum += self[x * factor + dx, y * factor + dy, c] } }
                    out[x, y, c] = sum * norm
                }
            }
        }
        return out
    }
}
