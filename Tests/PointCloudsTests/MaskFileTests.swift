import Foundation
import PointADSupport
import Testing
import TestSupport
@testable import PointClouds

/// Ground-truth PNG masks, from PNGs encoded by hand (stored deflate blocks) so every bit depth and
/// colour type is exercised independently of libpng's writer.
@Suite struct MaskFileTests {
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return be32(UInt32(data.count)) + body + be32(crc32(body))
    }

    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }

    /// A PNG with the given raw scanline bytes (filter type 0 per row), zlib with stored blocks.
    static func png(width: Int, height: Int, bitDepth: UInt8, colorType: UInt8, rows: [[UInt8]], palette: [UInt8]? = nil) -> [UInt8] {
        var raw: [UInt8] = []
        for r in rows { raw.append(0); raw += r }
        var zlib: [UInt8] = [0x78, 0x01]
        var i = 0
        repeat {
            let n = min(65535, raw.count - i)
            let final: UInt8 = i + n == raw.count ? 1 : 0
            zlib += [final, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            zlib += raw[i..<(i + n)]
            i += n
        } while i < raw.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in raw { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
        zlib += be32(b << 16 | a)
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        png += chunk("IHDR", be32(UInt32(width)) + be32(UInt32(height)) + [bitDepth, colorType, 0, 0, 0])
        if let palette { png += chunk("PLTE", palette) }
        png += chunk("IDAT", zlib) + chunk("IEND", [])
        return png
    }

    func read(_ bytes: [UInt8]) throws -> BinaryMask {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        return try MaskFile.read(TestFiles.write(bytes, "gt.png", in: directory))
    }

    @Test func eightBitGreyClassIds() throws {
        // MVTec gt values are class ids 253, 254, 255; anything > 0 is a defect.
        let mask = try read(Self.png(width: 4, height: 2, bitDepth: 8, colorType: 0, rows: [[0, 253, 254, 255], [1, 0, 0, 2]]))
        #expect(mask.width == 4 && mask.height == 2)
        #expect(mask.pixels == [false, true, true, true, true, false, false, true])
    }

    @Test func sixteenBitGreyKeepsValueOne() throws {
        let rows: [[UInt8]] = [[0, 0, 0, 1, 0x01, 0x00], [0xFF, 0xFF, 0, 0, 0, 0x80]]
        let mask = try read(Self.png(width: 3, height: 2, bitDepth: 16, colorType: 0, rows: rows))
        #expect(mask.pixels == [false, true, true, true, false, true])
    }

    @Test func paletteAndRGB() throws {
        let palette: [UInt8] = [0, 0, 0, 255, 255, 255, 0, 0, 1]
        let indexed = try read(Self.png(width: 3, height: 1, bitDepth: 8, colorType: 3, rows: [[0, 1, 2]], palette: palette))
        #expect(indexed.pixels == [false, true, true])
        let rgb = try read(Self.png(width: 3, height: 1, bitDepth: 8, colorType: 2, rows: [[0, 0, 0, 255, 255, 255, 0, 1, 0]]))
        #expect(rgb.pixels == [false, true, true])
        let oneBit = try read(Self.png(width: 9, height: 1, bitDepth: 1, colorType: 0, rows: [[0b1000_0001, 0b1000_0000]]))
        #expect(oneBit.pixels == [true, false, false, false, false, false, false, true, true])
    }

    @Test func corruptPNGIsAnError() throws {
        var bytes = Self.png(width: 2, height: 2, bitDepth: 8, colorType: 0, rows: [[0, 1], [2, 3]])
        bytes[bytes.count - 20] ^= 0xFF
        #expect(throws: FileError.self) { try read(bytes) }
        #expect(throws: FileError.self) { try read(Array("not a png".utf8)) }
    }
}

/// `render --labels` and gt masks share the pixel budget: the bomb is refused from its header.
@Suite struct MaskBombTests {
    @Test func maskDeclaringTooManyPixelsIsRefused() throws {
        let url = TestPaths.fixture("fuzz/png-bomb-20000x20000.png")
        #expect { try MaskFile.read(url) } throws: { "\($0)".hasPrefix(url.path) && "\($0)".contains("20000×20000") }
    }
}
