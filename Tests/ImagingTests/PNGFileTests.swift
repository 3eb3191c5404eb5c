import Foundation
import Imaging
import Testing
import TestSupport

/// PNG round trips in every channel layout, and clear errors on files that are not PNGs.
@Suite("PNG files")
struct PNGFileTests {
    @Test("round trip grey, RGB, RGBA", arguments: [1, 3, 4])
    func roundTrip(_ channels: Int) throws {
        let dir = try TestPaths.temporaryDirectory()
        let w = 7, h = 5
        let bytes = (0..<(w * h * channels)).map { UInt8(($0 * 37) % 256) }
        let url = dir.appendingPathComponent("x.png")
        try PNGFile.write(bytes: bytes, width: w, height: h, channels: channels, to: url)
        let layout: PNGFile.Layout = channels == 1 ? .grey : channels == 3 ? .rgb : .rgba
        let back = try PNGFile.readBytes(url, as: layout)
        #expect(back.width == w && back.height == h && back.bytes == bytes)
    }

    @Test("the reference image reads at 56x56")
    func fixture() throws {
        let image = try PNGFile.read(TestPaths.fixture("clip-tiny/image.png"))
        #expect(image.width == 56 && image.height == 56 && image.channels == 3)
        #expect(image.pixels.allSatisfy { (0...1).contains($0) })
    }

    @Test("a non-PNG file gets an error naming it")
    func garbage() throws {
        let url = try TestPaths.temporaryDirectory().appendingPathComponent("bad.png")
        try Data("not a png at all".utf8).write(to: url)
        do { _ = try PNGFile.read(url); Issue.record("expected an error") } catch {
            #expect(String(describing: error).contains("bad.png"))
        }
    }

    @Test("jet colour map ends")
    func jet() {
        #expect(ColorMap.jet.bytes(0) == (0, 0, 128))
        #expect(ColorMap.jet.bytes(1) == (128, 0, 0))
        #expect(ColorMap.jet.bytes(.nan) == ColorMap.jet.bytes(0))
    }
}

/// Decompression bombs: a 138-byte PNG declaring 20000×20000 (Scripts/fixtures/png_bomb.py) is
/// refused from its header, before the 400 M pixels (9 GB as float RGB) are allocated.
@Suite struct PNGBombTests {
    @Test func declaredSizeOverTheBudgetIsRefusedBeforeDecoding() throws {
        let url = TestPaths.fixture("fuzz/png-bomb-20000x20000.png")
        for layout in [PNGFile.Layout.grey, .rgb, .rgba] {
            #expect { try PNGFile.readBytes(url, as: layout) } throws: {
                "\($0)".hasPrefix(url.path) && "\($0)".contains("20000×20000") && "\($0)".contains("refused before decoding")
            }
        }
    }
}
