import Foundation
import PointADSupport
import Testing
import TestSupport
@testable import PointClouds

/// MVTec-style xyz TIFFs: a hand-built encoder (any byte order, contiguous or planar, several
/// strips, float32 or float64) checks the libtiff reader; the writer round-trips.
@Suite struct XYZTIFFTests {
    /// Uncompressed TIFF bytes for an H×W×3 image.
    static func tiff(width: Int, height: Int, values: [Double], bigEndian: Bool, planar: Bool, bits: Int, rowsPerStrip: Int) -> [UInt8] {
        func u16(_ v: Int) -> [UInt8] { let x = UInt16(v); return bigEndian ? [UInt8(x >> 8), UInt8(x & 0xFF)] : [UInt8(x & 0xFF), UInt8(x >> 8)] }
        func u32(_ v: Int) -> [UInt8] { withUnsafeBytes(of: bigEndian ? UInt32(v).bigEndian : UInt32(v).littleEndian) { Array($0) } }
        func sample(_ v: Double) -> [UInt8] { TestFiles.bytes(v, type: bits == 32 ? "float" : "double", bigEndian: bigEndian) }
        let stripsPerPlane = (height + rowsPerStrip - 1) / rowsPerStrip
        var strips: [[UInt8]] = []
        for plane in 0..<(planar ? 3 : 1) {
            for s in 0..<stripsPerPlane {
                var strip: [UInt8] = []
                for y in (s * rowsPerStrip)..<min(height, (s + 1) * rowsPerStrip) {
                    for x in 0..<width {
                        let p = (y * width + x) * 3
                        if planar { strip += sample(values[p + plane]) } else { for c in 0..<3 { strip += sample(values[p + c]) } }
                    }
                }
                strips.append(strip)
            }
        }
        let entryCount = 11
        let ifdOffset = 8
        var extra = ifdOffset + 2 + entryCount * 12 + 4
        var tail: [UInt8] = []
        func external(_ bytes: [UInt8]) -> Int { let o = extra + tail.count; tail += bytes; return o }
        let bitsOffset = external(u16(bits) + u16(bits) + u16(bits))
        let formatOffset = external(u16(3) + u16(3) + u16(3))
        var stripOffsets: [Int] = []
        let dataStart = extra + tail.count + strips.count * 8
        var position = dataStart
        for s in strips { stripOffsets.append(position); position += s.count }
        let offsetsOffset = external(stripOffsets.flatMap(u32))
        let countsOffset = external(strips.map(\.count).flatMap(u32))
        extra = 0
        func entry(_ tag: Int, _ type: Int, _ count: Int, _ value: [UInt8]) -> [UInt8] {
            u16(tag) + u16(type) + u32(count) + value + [UInt8](repeating: 0, count: 4 - value.count)
        }
        var bytes: [UInt8] = bigEndian ? [0x4D, 0x4D, 0, 42] : [0x49, 0x49, 42, 0]
        bytes += u32(ifdOffset) + u16(entryCount)
        bytes += entry(256, 4, 1, u32(width)) + entry(257, 4, 1, u32(height)) + entry(258, 3, 3, u32(bitsOffset))
        bytes += entry(259, 3, 1, u16(1)) + entry(262, 3, 1, u16(2))
        bytes += entry(273, 4, strips.count, strips.count == 1 ? u32(stripOffsets[0]) : u32(offsetsOffset))
        bytes += entry(277, 3, 1, u16(3)) + entry(278, 4, 1, u32(rowsPerStrip))
        bytes += entry(279, 4, strips.count, strips.count == 1 ? u32(strips[0].count) : u32(countsOffset))
        bytes += entry(284, 3, 1, u16(planar ? 2 : 1)) + entry(339, 3, 3, u32(formatOffset))
        bytes += u32(0) + tail
        precondition(bytes.count == dataStart)
        for s in strips { bytes += s }
        return bytes
    }

    /// Random xyz with invalid pixels: all zero, one zero coordinate, NaN, infinity.
    static func sampleValues(width: Int, height: Int, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        var v = (0..<(width * height * 3)).map { _ in Double(Float.random(in: -0.2...0.2, using: &rng)) }
        for (pixel, kind) in [(0, 0), (5, 1), (7, 2), (width * height - 1, 3), (width + 2, 0)] {
            switch kind {
            case 0: v[3 * pixel] = 0; v[3 * pixel + 1] = 0; v[3 * pixel + 2] = 0
            case 1: v[3 * pixel + 1] = 0
            case 2: v[3 * pixel + 2] = .nan
            default: v[3 * pixel] = .infinity
            }
        }
        return v
    }

    @Test(arguments: [(false, false, 32, 3), (true, false, 32, 2), (true, true, 32, 4), (false, true, 64, 7), (false, false, 64, 5)])
    func handBuiltTIFFs(bigEndian: Bool, planar: Bool, bits: Int, rowsPerStrip: Int) throws {
        let (width, height) = (6, 5)
        let values = Self.sampleValues(width: width, height: height, seed: UInt64(bits + rowsPerStrip))
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = try TestFiles.write(Self.tiff(width: width, height: height, values: values, bigEndian: bigEndian, planar: planar, bits: bits, rowsPerStrip: rowsPerStrip), "xyz.tiff", in: directory)
        let image = try XYZTIFFFile.read(url)
        #expect(image.width == width && image.height == height)
        #expect(sameBits(image.values, values.map { Float($0) }))
        let cloud = try PointCloudFile.read(url)
        let invalid: Set<Int> = [0, 5, 7, width * height - 1, width + 2]
        let valid = (0..<(width * height)).filter { !invalid.contains($0) }
        #expect(cloud.grid == OrganizedGrid(width: width, height: height, pixelIndices: valid))
        #expect(cloud.positions == valid.map { SIMD3(Float(values[3 * $0]), Float(values[3 * $0 + 1]), Float(values[3 * $0 + 2])) })
    }

    @Test func writerRoundTripsAndMatchesTheMVTecLayout() throws {
        let (width, height) = (7, 4)
        let values = Self.sampleValues(width: width, height: height, seed: 9).map { Float($0) }
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("sub/000.tiff")
        try XYZTIFFFile.write(XYZImage(width: width, height: height, values: values), to: url)
        let back = try XYZTIFFFile.read(url)
        #expect(back.width == width && back.height == height && sameBits(back.values, values))
        // Uncompressed contiguous float32: the file is the raw samples plus a small header.
        let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as! Int
        #expect(size >= width * height * 12 && size < width * height * 12 + 1024)
        // An organised cloud written through PointCloudFile keeps its grid.
        let cloud = try PointCloudFile.read(url)
        let again = directory.appendingPathComponent("again.tif")
        try PointCloudFile.write(cloud, to: again)
        #expect(try PointCloudFile.read(again).positions == cloud.positions)
    }

    @Test func nearestResizeFollowsPyTorch() throws {
        // torch.nn.functional.interpolate(x, size=(3, 5), mode='nearest') on a 4×7 grid picks
        // rows floor(i·4/3) = 0, 1, 2 and columns floor(j·7/5) = 0, 1, 2, 4, 5.
        #expect(XYZImage.nearestSources(input: 4, output: 3) == [0, 1, 2])
        #expect(XYZImage.nearestSources(input: 7, output: 5) == [0, 1, 2, 4, 5])
        #expect(XYZImage.nearestSources(input: 3, output: 6) == [0, 0, 1, 1, 2, 2])
        // 800 → 336: scale 2.3809524 in float32.
        let s = XYZImage.nearestSources(input: 800, output: 336)
        #expect(s[0] == 0 && s[1] == 2 && s[21] == 50 && s[335] == 797)
        var image = XYZImage(width: 7, height: 4)
        for y in 0..<4 { for x in 0..<7 { image[x, y] = SIMD3(Float(x + 1), Float(y + 1), 1) } }
        let small = image.resizedNearest(width: 5, height: 3)
        #expect(small[3, 2] == SIMD3(5, 3, 1))
        #expect(small[4, 0] == SIMD3(6, 1, 1))
        // Through an organised cloud: an invalid source pixel stays invalid after the resize.
        image[5, 1] = .zero
        let cloud = image.pointCloud()
        let resized = try cloud.organizedResized(width: 5, height: 3)
        #expect(resized.grid?.width == 5 && resized.grid?.height == 3)
        #expect(resized.count == 14 && !(resized.grid?.pixelIndices.contains(1 * 5 + 4) ?? true))
    }

    @Test func refusesNonXYZTIFFs() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bytes = Self.tiff(width: 2, height: 2, values: Array(repeating: 1, count: 12), bigEndian: false, planar: false, bits: 32, rowsPerStrip: 2)
        let truncated = try TestFiles.write(Array(bytes.prefix(bytes.count - 10)), "short.tiff", in: directory)
        #expect(throws: FileError.self) { try XYZTIFFFile.read(truncated) }
        let garbage = try TestFiles.write(Array("not a tiff".utf8), "bad.tiff", in: directory)
        do {
            _ = try XYZTIFFFile.read(garbage)
            Issue.record("no error")
        } catch let error as FileError {
            #expect(error.path == garbage.path)
        }
    }
}
