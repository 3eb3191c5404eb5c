import Imaging
import PointClouds
import Rendering

/// The 3×3 picture of a scored cloud people look at: a title (file, object score, decision when
/// there is one), every view with the fused per-point scores painted in (`FusedViewPainter`) and
/// its angle written on it, a colour bar with its scale (fixed 0–1, so sheets compare), and a
/// legend; the ground-truth outline when labels are known.
public struct AnomalySheet: Sendable {
    /// Title lines, first in larger type (file name, object score, decision…).
    public var title: [String]
    /// One label per view ("x -45°").
    public var angles: [String]
    /// Each view shrinks by this integer factor (1 for `score`'s sheets, 2 for eval thumbnails).
    public var shrink: Int
    public var hasLabels: Bool

    public init(title: [String], angles: [String], shrink: Int = 1, hasLabels: Bool = false) {
        self.title = title
        self.angles = angles
        self.shrink = max(shrink, 1)
        self.hasLabels = hasLabels
    }

    public static let columns = 3, gap = 4

    /// Text scale: 2 on full-size sheets, 1 on thumbnails.
    var textScale: Int { shrink == 1 ? 2 : 1 }
    var margin: Int { 6 * textScale }

    /// Where the parts sit for `views` tiles of `tile` pixels: tile origins, the colour bar's
    /// origin, and the picture's size.
    public struct Layout: Equatable, Sendable {
        public var tileSize: Int
        public var tiles: [(x: Int, y: Int)]
        public var colorBar: (x: Int, y: Int)
        public var colorBarStrip: (x: Int, y: Int, width: Int, height: Int)
        public var width: Int
        public var height: Int

        public static func == (a: Layout, b: Layout) -> Bool {
            a.tileSize == b.tileSize && a.width == b.width && a.height == b.height
                && a.tiles.map { [$0.x, $0.y] } == b.tiles.map { [$0.x, $0.y] }
        }
    }

    var legend: [String] {
        ["colour: final per-point score", hasLabels ? "magenta: ground truth" : ""].filter { !$0.isEmpty }
    }

    public func colorBar(gridHeight: Int) -> ColorBar {
        ColorBar(range: 0...1, caption: "point score", barHeight: max(gridHeight * 3 / 4, 32), textScale: textScale)
    }

    public func layout(views: Int, viewSize: Int) -> Layout {
        let tile = viewSize / shrink
        let rows = (views + Self.columns - 1) / Self.columns
        let lineHeight = BitmapFont.lineHeight * textScale
        let titleHeight = title.enumerated().reduce(0) { $0 + ($1.offset == 0 ? 2 * lineHeight : lineHeight) }
        let gridTop = margin + titleHeight + margin / 2
        let gridWidth = Self.columns * tile + (Self.columns - 1) * Self.gap
        let gridHeight = rows * tile + max(rows - 1, 0) * Self.gap
        let tiles = (0..<views).map { k in
            (x: margin + (k % Self.columns) * (tile + Self.gap), y: gridTop + (k / Self.columns) * (tile + Self.gap))
        }
        let bar = colorBar(gridHeight: gridHeight)
        let barOrigin = (x: margin + gridWidth + 3 * margin, y: gridTop)
        let titleWidth = title.enumerated().map { BitmapFont.size(of: $1, scale: $0 == 0 ? 2 * textScale : textScale).width }.max() ?? 0
        let legendWidth = legend.map { BitmapFont.size(of: $0, scale: textScale).width }.max() ?? 0
        let width = max(barOrigin.x + bar.size.width, titleWidth, legendWidth) + margin
        let height = gridTop + max(gridHeight, bar.size.height) + margin / 2 + legend.count * lineHeight + margin
        let strip = bar.stripOrigin
        return Layout(tileSize: tile, tiles: tiles, colorBar: barOrigin,
                      colorBarStrip: (barOrigin.x + strip.x, barOrigin.y + strip.y, bar.barWidth, bar.barHeight),
                      width: width, height: height)
    }

    /// Draws the sheet from painted views (all the same square size).
    public func draw(_ views: [Image]) -> Image {
        let viewSize = views.first?.width ?? 0
        let layout = layout(views: views.count, viewSize: viewSize)
        var sheet = Image(width: layout.width, height: layout.height, channels: 3, fill: 1)
        let black = SIMD3<Float>(0, 0, 0)
        var y = margin
        for (i, line) in title.enumerated() {
            let scale = i == 0 ? 2 * textScale : textScale
            sheet.draw(text: line, x: margin, y: y, scale: scale, color: black)
            y += BitmapFont.lineHeight * scale
        }
        for (k, view) in views.enumerated() {
            let origin = layout.tiles[k]
            sheet.paste(view.shrunk(by: shrink), x: origin.x, y: origin.y)
            sheet.strokeRectangle(x: origin.x - 1, y: origin.y - 1, width: layout.tileSize + 2, height: layout.tileSize + 2,
                                  color: SIMD3(repeating: 0.8))
            if k < angles.count {
                sheet.draw(text: angles[k], x: origin.x + 3, y: origin.y + 3, scale: textScale, color: SIMD3(0.15, 0.15, 0.15))
            }
        }
        let rows = (views.count + Self.columns - 1) / Self.columns
        let gridHeight = rows * layout.tileSize + max(rows - 1, 0) * Self.gap
        colorBar(gridHeight: gridHeight).draw(on: &sheet, x: layout.colorBar.x, y: layout.colorBar.y)
        var legendY = (layout.tiles.first?.y ?? margin) + max(gridHeight, colorBar(gridHeight: gridHeight).size.height) + margin / 2
        for line in legend {
            let color = line.hasPrefix("magenta") ? FusedViewPainter.outlineColor : black
            sheet.draw(text: line, x: margin, y: legendY, scale: textScale, color: color)
            legendY += BitmapFont.lineHeight * textScale
        }
        return sheet
    }

    /// "x -45°": a view's turn about its axis (the view set's pre-rotation is named in the title).
    public static func angleLabel(_ rotation: ViewRotation) -> String {
        let degrees = rotation.degrees.rounded() == rotation.degrees ? "\(Int(rotation.degrees))" : "\(rotation.degrees)"
        return "\(rotation.axis.rawValue) \(rotation.degrees > 0 ? "+" : "")\(degrees)°"
    }
}

extension AnomalySheet {
    /// The title of a scored cloud: its file, object and maximum point score, the decision when a
    /// threshold gave one, and a warning for random-weight models.
    public static func title(file: String, objectScore: Float, maxPointScore: Float?, decision: (anomalous: Bool, threshold: Float)?,
                             randomWeights: Bool) -> [String] {
        var scores = "object score " + fixed(objectScore)
        if let maxPointScore { scores += "   max point score " + fixed(maxPointScore) }
        if let decision {
            scores += "   " + (decision.anomalous ? "ANOMALOUS" : "normal") + " (threshold " + fixed(decision.threshold) + ")"
        }
        return [file, scores] + (randomWeights ? ["RANDOM-WEIGHT TEST MODEL: scores mean nothing"] : [])
    }

    static func fixed(_ value: Float) -> String {
        guard value.isFinite else { return "\(value)" }
        let scaled = Int((abs(value) * 10000).rounded())
        let fraction = String(scaled % 10000)
        return (value < 0 ? "-" : "") + "\(scaled / 10000)." + String(repeating: "0", count: 4 - fraction.count) + fraction
    }

    /// The sheet of a detection: views painted with its final per-point scores. `labels` are per
    /// point of the cloud given to the detector (nil when unknown). `title` lines come first.
    public static func make(_ detection: Detection, input cloud: PointCloud, preparation: CloudPreparation, labels: [UInt8]?,
                            title: [String], shrink: Int = 1) throws -> (sheet: Image, views: [Image]) {
        let viewSet = preparation.viewSet(for: cloud)
        let scoredLabels = try labels.map { try preparation.carriedLabels($0, of: cloud, resizedCount: detection.scoredCloud.count) }
        let painted = detection.views.compactMap { view -> Image? in
            guard let image = view.image else { return nil }
            return FusedViewPainter.paint(image, projection: view.projection, pointScores: detection.scores.pointScores,
                                          labels: scoredLabels, outlineWidth: max(shrink, 1) + 1)
        }
        let angles = viewSet.views.map(angleLabel)
        let viewsLine = "views: \(viewSet.name)" + (viewSet.preRotation == .identity ? "" : " (cloud turned first)")
        let sheet = AnomalySheet(title: title + [viewsLine], angles: angles, shrink: shrink, hasLabels: scoredLabels != nil)
        return (sheet.draw(painted), painted)
    }
}

extension Detector {
    /// How this detector prepares clouds (resize, normals, view set), for pictures of its results.
    public var preparation: CloudPreparation {
        CloudPreparation(size: render.size, normalNeighbours: settings.normalNeighbours, views: settings.views)
    }
}
