import Foundation
import Imaging
import Testing
import TestSupport
@testable import Synthesis

@Suite("preview sheet")
struct SyntheticPreviewTests {
    @Test("one row per class, one tile per test folder; the tile is the dataset's own first sample")
    func sheetLayout() throws {
        var settings = SynthesisSettings(layout: .mvtec3d, classes: 2, testSamples: 4, trainSamples: 1, seed: 6)
        settings.imageWidth = 48
        settings.imageHeight = 40
        settings.meshResolution = 32
        let dir = try TestPaths.temporaryDirectory("preview")
        defer { try? FileManager.default.removeItem(at: dir) }
        try SyntheticPreview.write(settings, to: dir.appendingPathComponent("sheet.png"))
        let sheet = try PNGFile.readBytes(dir.appendingPathComponent("sheet.png"), as: .rgb)
        // 4 test samples: good and two defect folders per class.
        #expect(sheet.width == 3 * 48 && sheet.height == 2 * 40)
        // The top-left tile is class 0's test/good/000 as the dataset writes it.
        _ = try DatasetSynthesizer.synthesize(settings, to: dir.appendingPathComponent("data"), quiet: true)
        let name = SyntheticClass.catalog(count: 2, layout: .mvtec3d, seed: 6)[0].name
        let good = try PNGFile.readBytes(dir.appendingPathComponent("data/\(name)/test/good/rgb/000.png"), as: .rgb)
        for y in 0..<40 {
            #expect(Array(sheet.bytes[(y * sheet.width * 3)..<(y * sheet.width * 3 + 48 * 3)]) == Array(good.bytes[(y * 48 * 3)..<((y + 1) * 48 * 3)]))
        }
        #expect(throws: (any Error).self) { try SyntheticPreview.write(SynthesisSettings(layout: .real3d, classes: 1, testSamples: 2, seed: 0), to: dir.appendingPathComponent("x.png")) }
    }
}
