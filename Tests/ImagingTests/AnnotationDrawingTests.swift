import Testing
@testable import Imaging

// Labels in the pictures are drawn with the built-in font; the colour bar must show the colour map
// the views use, the highest value at the top.
@Suite("Bitmap font, drawing and colour bar")
struct AnnotationDrawingTests {
    func inkPixels(_ image: Image) -> [(Int, Int)] {
        var out: [(Int, Int)] = []
        for y in 0..<image.height { for x in 0..<image.width where image[x, y, 0] < 0.5 { out.append((x, y)) } }
        return out
    }

    @Test("'I' is drawn as its 11 pixels: a 3-wide bar on top and bottom and a 1-wide stem")
    func letterI() {
        var image = Image(width: 8, height: 10, channels: 3, fill: 1)
        image.draw(text: "I", x: 1, y: 1, color: SIMD3(0, 0, 0))
        let ink = inkPixels(image)
        #expect(ink.count == 11)
        #expect(ink.contains { $0 == (2, 1) } && ink.contains { $0 == (4, 1) } && ink.contains { $0 == (3, 4) } && ink.contains { $0 == (4, 7) })
        #expect(!ink.contains { $0 == (1, 1) } && !ink.contains { $0 == (2, 4) })
    }

    @Test("Scale draws each font pixel as a block; sizes follow the 6-pixel advance and 9 rows")
    func scaleAndSize() {
        var image = Image(width: 20, height: 24, channels: 1, fill: 1)
        image.draw(text: "I", x: 0, y: 0, scale: 2, color: SIMD3(0, 0, 0))
        #expect(inkPixels(image).count == 44)
        #expect(BitmapFont.size(of: "ab", scale: 2) == (22, 18))
        #expect(BitmapFont.size(of: "", scale: 3) == (0, 27))
    }

    @Test("Every printable ASCII character has its own glyph; others fall back to '?'")
    func coverage() {
        for value in 32...126 {
            let character = Character(Unicode.Scalar(UInt8(value)))
            #expect(BitmapFont.glyphs[character] != nil, "no glyph for \(character)")
        }
        let shapes = Set((33...126).map { String(describing: BitmapFont.rows(Character(Unicode.Scalar(UInt8($0))))) })
        #expect(shapes.count == 94)  // no two visible characters look the same
        #expect(BitmapFont.rows("€") == BitmapFont.rows("?"))
        #expect(BitmapFont.rows("°") != BitmapFont.rows("?"))
    }

    @Test("The colour bar runs from jet(1) = dark red at the top to jet(0) = dark blue at the bottom")
    func colorBar() {
        let bar = ColorBar(range: 0...1, caption: "score", barHeight: 100)
        let size = bar.size
        var image = Image(width: size.width + 4, height: size.height + 4, channels: 3, fill: 1)
        bar.draw(on: &image, x: 2, y: 2)
        let strip = bar.stripOrigin
        let top = (x: 2 + strip.x + bar.barWidth / 2, y: 2 + strip.y), bottom = (x: top.x, y: top.y + bar.barHeight - 1)
        let bytes = image.bytes()
        func rgb(_ p: (x: Int, y: Int)) -> [UInt8] { let i = (p.y * image.width + p.x) * 3; return Array(bytes[i..<i + 3]) }
        #expect(rgb(top) == [128, 0, 0])
        #expect(rgb(bottom) == [0, 0, 128])
        // Tick labels ("1.00" … "0.00") are drawn right of the strip.
        let labels = Image(width: image.width - (top.x + bar.barWidth), height: image.height, channels: 3,
                           pixels: (0..<image.height).flatMap { y in (top.x + bar.barWidth..<image.width).flatMap { x in (0..<3).map { image[x, y, $0] } } })
        #expect(inkPixels(labels).count > 50)
    }
}
