import Imaging
import PointClouds
import Rendering
import Testing
@testable import PointADModel

// The pictures show the final per-point scores: each visible point colours its pixel, the
// background stays white, labels draw a magenta outline, and the sheet's parts sit where the
// layout says (title, 3×3 tiles, colour bar).
@Suite("Anomaly sheets and scan maps")
struct AnomalySheetTests {
    /// An 8×8 render: white, with a grey (0.5) 4×4 object at columns/rows 2…5.
    static func render() -> Image {
        var image = Image(width: 8, height: 8, channels: 3, fill: 1)
        image.fill(x: 2, y: 2, width: 4, height: 4, color: SIMD3(repeating: 0.5))
        return image
    }

    @Test("Visible points paint their pixels with the colour of their score; background stays white")
    func paintsFusedScores() {
        // Point 0 at (2, 2) score 1, point 1 at (5, 5) score 0, point 2 hidden at (3, 3) with score 1.
        let projection = ViewProjection(size: 8, pixels: [2 * 8 + 2, 5 * 8 + 5, 3 * 8 + 3], visible: [true, true, false])
        let painted = FusedViewPainter.paint(Self.render(), projection: projection, pointScores: [1, 0, 1])
        let shade: Float = 0.55 + 0.45 * (0.5 / 0.7)  // grey 0.5 of a lit maximum 0.7
        #expect(abs(painted[2, 2, 0] - 0.5 * shade) < 1e-5 && painted[2, 2, 1] == 0 && painted[2, 2, 2] == 0)  // jet(1) = (0.5, 0, 0)
        #expect(painted[5, 5, 0] == 0 && painted[5, 5, 1] == 0 && abs(painted[5, 5, 2] - 0.5 * shade) < 1e-5)  // jet(0) = (0, 0, 0.5)
        for (x, y) in [(0, 0), (7, 7), (1, 4), (6, 2)] { #expect((0..<3).allSatisfy { painted[x, y, $0] == 1 }, "background (\(x), \(y)) tinted") }
        // Object pixels between the two points take their neighbours' scores: no grey left.
        #expect((2...5).allSatisfy { x in (2...5).allSatisfy { y in !(painted[x, y, 0] == painted[x, y, 1] && painted[x, y, 1] == painted[x, y, 2]) } })
    }

    @Test("Labelled points draw a magenta outline; without labels there is none")
    func groundTruthOutline() {
        let projection = ViewProjection(size: 8, pixels: [2 * 8 + 2, 5 * 8 + 5], visible: [true, true])
        let labelled = FusedViewPainter.paint(Self.render(), projection: projection, pointScores: [0, 0], labels: [1, 0])
        let plain = FusedViewPainter.paint(Self.render(), projection: projection, pointScores: [0, 0])
        func magenta(_ image: Image) -> Int {
            var n = 0
            for y in 0..<8 { for x in 0..<8 where image[x, y, 0] == 1 && image[x, y, 1] == 0 && image[x, y, 2] == 1 { n += 1 } }
            return n
        }
        #expect(magenta(plain) == 0)
        #expect(magenta(labelled) > 0)
        #expect(labelled[2, 2, 0] == 1 && labelled[2, 2, 1] == 0)  // the labelled point's pixel is on the region's edge
        #expect(labelled[5, 5, 1] == 0 && labelled[5, 5, 0] == 0)  // the unlabelled one is not outlined
    }

    @Test("A sheet of nine 30-pixel views: hand-computed size, colour bar and tiles where the layout puts them")
    func sheetLayout() {
        var view = Image(width: 30, height: 30, channels: 3, fill: 1)
        view.fill(x: 10, y: 10, width: 10, height: 10, color: SIMD3(0.5, 0, 0))
        let sheet = AnomalySheet(title: ["T"], angles: [], shrink: 1, hasLabels: false)
        let image = sheet.draw(Array(repeating: view, count: 9))
        // Margin 12; title 40 (first line at scale 4); tiles 3 × 30 + 2 × 4 gaps = 98; colour bar 36 right of
        // the grid, 130 wide ("point score" at scale 2), 111 tall; legend one line of 20; see AnomalySheet.layout.
        #expect(image.width == 358 && image.height == 207)
        let layout = sheet.layout(views: 9, viewSize: 30)
        #expect(layout.width == image.width && layout.height == image.height)
        let strip = layout.colorBarStrip
        let bytes = image.bytes()
        func rgb(_ x: Int, _ y: Int) -> [UInt8] { let i = (y * image.width + x) * 3; return Array(bytes[i..<i + 3]) }
        #expect(rgb(strip.x + strip.width / 2, strip.y) == [128, 0, 0])
        #expect(rgb(strip.x + strip.width / 2, strip.y + strip.height - 1) == [0, 0, 128])
        for tile in layout.tiles { #expect(rgb(tile.x + 15, tile.y + 15) == [128, 0, 0]) }
        #expect(layout.tiles[4].x - layout.tiles[3].x == 34 && layout.tiles[3].y - layout.tiles[0].y == 34)
        // Thumbnails halve the tiles.
        #expect(AnomalySheet(title: ["T"], angles: [], shrink: 2).layout(views: 9, viewSize: 30).tileSize == 15)
    }

    @Test("View angles read as axis and signed degrees")
    func angleLabels() {
        #expect(ViewSet.pointAD.views.map(AnomalySheet.angleLabel) == ["x -45°", "x -15°", "x 0°", "x +15°", "x +45°", "y -30°", "y -15°", "y +15°", "y +30°"])
        #expect(AnomalySheet.title(file: "a.ply", objectScore: 0.41256, maxPointScore: 0.9, decision: (true, 0.4), randomWeights: false)
                == ["a.ply", "object score 0.4126   max point score 0.9000   ANOMALOUS (threshold 0.4000)"])
    }

    @Test("An organised scan's map is H×W: measured pixels in their score's colour, the rest white; RGB overlay blends")
    func scanMaps() throws {
        let grid = OrganizedGrid(width: 3, height: 2, pixelIndices: [0, 4])
        let map = ScanMapPicture.anomalyMap(pointScores: [1, 0], grid: grid)
        #expect(map.width == 3 && map.height == 2)
        #expect(map.bytes() == [128, 0, 0, 255, 255, 255, 255, 255, 255,
                                255, 255, 255, 0, 0, 128, 255, 255, 255])
        let rgb = Image(width: 3, height: 2, channels: 3, fill: 0.2)
        let overlay = try ScanMapPicture.rgbOverlay(rgb, pointScores: [1, 0], grid: grid)
        #expect(abs(overlay[0, 0, 0] - (0.5 * 0.2 + 0.5 * 0.5)) < 1e-6 && abs(overlay[2, 0, 0] - 0.2) < 1e-6)
        #expect(throws: (any Error).self) { try ScanMapPicture.rgbOverlay(Image(width: 2, height: 2, channels: 3, fill: 0), pointScores: [1, 0], grid: grid) }
    }
}
