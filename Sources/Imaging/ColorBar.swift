/// A vertical colour bar for a heat map: the colour map from `range.upperBound` at the top to
/// `range.lowerBound` at the bottom, with tick marks and labels to its right and a caption above.
public struct ColorBar: Sendable {
    public var colorMap: ColorMap = .jet
    public var range: ClosedRange<Float> = 0...1
    /// Tick values, labelled with two decimals.
    public var ticks: [Float] = [0, 0.25, 0.5, 0.75, 1]
    public var caption: String = "score"
    /// Size of the coloured strip, in pixels.
    public var barWidth = 16
    public var barHeight = 256
    public var textScale = 1

    public init(range: ClosedRange<Float> = 0...1, caption: String = "score", barHeight: Int = 256, textScale: Int = 1) {
        self.range = range
        self.caption = caption
        self.barHeight = barHeight
        self.textScale = textScale
    }

    private var captionHeight: Int { (BitmapFont.lineHeight + 2) * textScale }
    private var labelWidth: Int { ticks.map { BitmapFont.size(of: label($0), scale: textScale).width }.max() ?? 0 }

    /// The whole bar's size: caption above, strip, ticks and labels to the right.
    public var size: (width: Int, height: Int) {
        let strip = barWidth + 4 * textScale + labelWidth
        let captionWidth = BitmapFont.size(of: caption, scale: textScale).width
        return (max(strip, captionWidth), captionHeight + barHeight + BitmapFont.ascent * textScale)
    }

    /// Where the coloured strip sits inside the bar's own frame (for tests and layouts).
    public var stripOrigin: (x: Int, y: Int) { (0, captionHeight + BitmapFont.ascent * textScale / 2) }

    func label(_ value: Float) -> String { String(format2: value) }

    /// Draws the bar with its top-left corner at (x, y) on `image`.
    public func draw(on image: inout Image, x: Int, y: Int, textColor: SIMD3<Float> = SIMD3(0, 0, 0)) {
        image.draw(text: caption, x: x, y: y, scale: textScale, color: textColor)
        let top = y + stripOrigin.y
        let span = range.upperBound - range.lowerBound
        for row in 0..<barHeight {
            // Row 0 is the top: the range's upper bound.
            let fraction = barHeight > 1 ? 1 - Float(row) / Float(barHeight - 1) : 1
            image.fill(x: x, y: top + row, width: barWidth, height: 1, color: colorMap.color(fraction))
        }
        image.strokeRectangle(x: x - 1, y: top - 1, width: barWidth + 2, height: barHeight + 2, color: textColor)
        for tick in ticks {
            let fraction = span > 0 ? (tick - range.lowerBound) / span : 0
            let row = top + Int(((1 - fraction) * Float(barHeight - 1)).rounded())
            image.fill(x: x + barWidth, y: row, width: 3 * textScale, height: 1, color: textColor)
            image.draw(text: label(tick), x: x + barWidth + 4 * textScale, y: row - BitmapFont.ascent * textScale / 2,
                       scale: textScale, color: textColor)
        }
    }
}

extension String {
    /// A number with two decimals, without Foundation's locale-dependent formatting.
    init(format2 value: Float) {
        let hundredths = Int((abs(value) * 100).rounded())
        let digits = "\(hundredths % 100)"
        self = (value < 0 && hundredths > 0 ? "-" : "") + "\(hundredths / 100)." + (digits.count == 1 ? "0" + digits : digits)
    }
}
