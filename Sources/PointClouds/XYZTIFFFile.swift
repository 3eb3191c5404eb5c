import CTIFF
import Foundation
import PointADSupport

/// MVTec 3D-AD xyz TIFFs through libtiff: H×W×3 float32 (float64 accepted, as Eyecandies
/// conversions write), strips of any compression libtiff decodes, either byte order, contiguous
/// or planar samples. Writing produces what MVTec ships: uncompressed contiguous float32.
public enum XYZTIFFFile {

    public static func read(_ url: URL) throws -> XYZImage {
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw FileError(path, "no such file")
        }
        return try TIFFDiagnostics.capturing(path) { diagnostics in
            guard let tiff = TIFFOpen(path, "r") else { throw diagnostics.error("not a readable TIFF") }
            defer { TIFFClose(tiff) }
            let width = Int(field(tiff, TIFFTAG_IMAGEWIDTH, UInt32.self))
            let height = Int(field(tiff, TIFFTAG_IMAGELENGTH, UInt32.self))
            let samples = Int(field(tiff, TIFFTAG_SAMPLESPERPIXEL, UInt16.self))
            let bits = Int(field(tiff, TIFFTAG_BITSPERSAMPLE, UInt16.self))
            let format = Int32(field(tiff, TIFFTAG_SAMPLEFORMAT, UInt16.self))
            let planar = Int32(field(tiff, TIFFTAG_PLANARCONFIG, UInt16.self))
            // The shared pixel budget, before any row is decoded (a lying header must not exhaust memory).
            try PixelBudget.check(width: width, height: height, path: path, format: "TIFF")
            guard samples == 3 else { throw FileError(path, "TIFF has \(samples) sample(s) per pixel; an xyz image has 3 (x, y, z)") }
            guard format == SAMPLEFORMAT_IEEEFP, bits == 32 || bits == 64 else {
                throw FileError(path, "TIFF samples are \(bits)-bit \(format == SAMPLEFORMAT_IEEEFP ? "float" : "integer"); an xyz image needs 32- or 64-bit float")
            }
            guard TIFFIsTiled(tiff) == 0 else { throw FileError(path, "tiled TIFFs are not supported (xyz images are stored in strips)") }
            let lineBytes = Int(TIFFScanlineSize64(tiff))
            let contiguous = planar != PLANARCONFIG_SEPARATE
            let expected = (contiguous ? samples : 1) * width * bits / 8
            guard lineBytes >= expected else { throw diagnostics.error("TIFF scanline is \(lineBytes) bytes, expected \(expected)") }
            let line = UnsafeMutableRawPointer.allocate(byteCount: lineBytes, alignment: 16)
            defer { line.deallocate() }
            // Grown row by row, so memory follows the data actually decoded, not the declared size.
            var values: [Float] = []
            values.reserveCapacity(min(width * height * 3, 1 << 22))
            func sample(_ i: Int) -> Float {
                bits == 32 ? line.load(fromByteOffset: 4 * i, as: Float.self) : Float(line.load(fromByteOffset: 8 * i, as: Double.self))
            }
            if contiguous {
                for row in 0..<height {
                    guard TIFFReadScanline(tiff, line, UInt32(row), 0) >= 0 else { throw diagnostics.error("cannot read row \(row) of \(height)") }
                    for x in 0..<width {
                        values.append(sample(x * samples)); values.append(sample(x * samples + 1)); values.append(sample(x * samples + 2))
                    }
                }
            } else {
                var planes: [[Float]] = [[], [], []]
                for s in 0..<3 {
                    for row in 0..<height {
                        guard TIFFReadScanline(tiff, line, UInt32(row), UInt16(s)) >= 0 else {
                            throw diagnostics.error("cannot read row \(row) of sample plane \(s)")
                        }
                        for x in 0..<width { planes[s].append(sample(x)) }
                    }
                }
                values = [Float](repeating: 0, count: width * height * 3)
                for i in 0..<(width * height) { for s in 0..<3 { values[3 * i + s] = planes[s][i] } }
            }
            return XYZImage(width: width, height: height, values: values)
        }
    }

    /// Writes an uncompressed, contiguous float32 xyz TIFF (what `tifffile.imwrite` produces for an
    /// (H, W, 3) float32 array), atomically.
    public static func write(_ image: XYZImage, to url: URL) throws {
        guard image.width > 0, image.height > 0 else { throw FileError(url.path, "cannot write an empty \(image.width)x\(image.height) xyz image") }
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("pointad-xyz-\(getpid())-\(UUID().uuidString).tiff")
        defer { try? FileManager.default.removeItem(at: temporary) }
        try TIFFDiagnostics.capturing(url.path) { diagnostics in
            guard let tiff = TIFFOpen(temporary.path, "w") else { throw diagnostics.error("cannot create a TIFF") }
            var closed = false
            defer { if !closed { TIFFClose(tiff) } }
            let rowsPerStrip = max(1, min(image.height, (1 << 16) / max(1, image.width * 12)))
            let ok = set(tiff, TIFFTAG_IMAGEWIDTH, UInt32(image.width)) && set(tiff, TIFFTAG_IMAGELENGTH, UInt32(image.height))
                && set(tiff, TIFFTAG_SAMPLESPERPIXEL, Int32(3)) && set(tiff, TIFFTAG_BITSPERSAMPLE, Int32(32))
                && set(tiff, TIFFTAG_SAMPLEFORMAT, Int32(SAMPLEFORMAT_IEEEFP)) && set(tiff, TIFFTAG_PLANARCONFIG, Int32(PLANARCONFIG_CONTIG))
                && set(tiff, TIFFTAG_PHOTOMETRIC, Int32(PHOTOMETRIC_RGB)) && set(tiff, TIFFTAG_COMPRESSION, Int32(COMPRESSION_NONE))
                && set(tiff, TIFFTAG_ROWSPERSTRIP, UInt32(rowsPerStrip))
            guard ok else { throw diagnostics.error("cannot set TIFF tags") }
            try image.values.withUnsafeBufferPointer { buffer in
                for row in 0..<image.height {
                    let rowStart = UnsafeMutableRawPointer(mutating: buffer.baseAddress! + row * image.width * 3)
                    guard TIFFWriteScanline(tiff, rowStart, UInt32(row), 0) >= 0 else { throw diagnostics.error("cannot write row \(row)") }
                }
            }
            closed = true
            TIFFClose(tiff)
        }
        let data: Data
        do { data = try Data(contentsOf: temporary) } catch { throw FileError(url.path, "cannot read back the encoded TIFF: \(SystemErrorText.describe(error))") }
        try AtomicFile.write(data, to: url)
    }

    private static func field<T: FixedWidthInteger>(_ tiff: OpaquePointer, _ tag: Int32, _: T.Type) -> T {
        var value: T = 0
        _ = withUnsafeMutablePointer(to: &value) { pointer in
            withVaList([pointer]) { TIFFVGetFieldDefaulted(tiff, UInt32(tag), $0) }
        }
        return value
    }

    private static func set(_ tiff: OpaquePointer, _ tag: Int32, _ value: some CVarArg) -> Bool {
        withVaList([value]) { TIFFVSetField(tiff, UInt32(tag), $0) } != 0
    }
}

/// libtiff reports problems through a process-wide handler that prints to stderr. We install one
/// that records the message for the calling thread, so errors can name the file and the problem.
enum TIFFDiagnostics {
    struct Scope {
        let path: String
        func error(_ what: String) -> FileError {
            let detail = TIFFDiagnostics.lastMessage
            return FileError(path, detail.isEmpty ? what : "\(what): \(detail)")
        }
    }

    private static let key = "pointad.libtiff.message"

    static var lastMessage: String {
        (Thread.current.threadDictionary[key] as? String) ?? ""
    }

    private static let installHandlers: Void = {
        let handler: TIFFErrorHandler = { module, format, arguments in
            var buffer = [CChar](repeating: 0, count: 512)
            if let format, let arguments { _ = vsnprintf(&buffer, buffer.count, format, arguments) }
            let text = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let prefix = module.map { String(cString: $0) + ": " } ?? ""
            Thread.current.threadDictionary[TIFFDiagnostics.key] = prefix + text
        }
        TIFFSetErrorHandler(handler)
        TIFFSetWarningHandler(nil)
    }()

    static func capturing<T>(_ path: String, _ body: (Scope) throws -> T) throws -> T {
        _ = installHandlers
        Thread.current.threadDictionary[key] = ""
        return try body(Scope(path: path))
    }
}
