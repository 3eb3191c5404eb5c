import CPNG
import Foundation
import PointADSupport

/// PNG reading and writing through libpng's simplified API (no setjmp needed from Swift).
public enum PNGFile {
    /// The channel layout to read a PNG as; libpng converts from whatever the file holds.
    public enum Layout: Sendable {
        case grey, rgb, rgba
        var channels: Int { switch self { case .grey: 1; case .rgb: 3; case .rgba: 4 } }
        var format: UInt32 {
            switch self {
            case .grey: UInt32(PNG_FORMAT_GRAY)
            case .rgb: UInt32(PNG_FORMAT_RGB)
            case .rgba: UInt32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA)
            }
        }
    }

    /// Reads an 8-bit-per-sample image converted to `layout`, samples scaled to [0, 1].
    public static func read(_ url: URL, as layout: Layout = .rgb) throws -> Image {
        let (width, height, bytes) = try readBytes(url, as: layout)
        return Image(width: width, height: height, channels: layout.channels, pixels: bytes.map { Float($0) / 255 })
    }

    /// Reads raw 8-bit samples converted to `layout`.
    public static func readBytes(_ url: URL, as layout: Layout) throws -> (width: Int, height: Int, bytes: [UInt8]) {
        guard FileManager.default.fileExists(atPath: url.path) else { throw FileError(url.path, "no such file") }
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_file(&image, url.path) != 0 else {
            throw FileError(url.path, "not a readable PNG: \(message(of: image))")
        }
        defer { png_image_free(&image) }
        let width = Int(image.width), height = Int(image.height)
        // Refuse absurd declared sizes before allocating (a lying header must not exhaust memory).
        try PixelBudget.check(width: width, height: height, path: url.path, format: "PNG")
        image.format = layout.format
        var bytes = [UInt8](repeating: 0, count: width * height * layout.channels)
        let ok = bytes.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        guard ok != 0 else { throw FileError(url.path, "corrupt PNG: \(message(of: image))") }
        return (width, height, bytes)
    }

    /// Writes an 8-bit PNG (grey, RGB or RGBA by the image's channel count), atomically.
    public static func write(_ image: Image, to url: URL) throws {
        try write(bytes: image.bytes(), width: image.width, height: image.height, channels: image.channels, to: url)
    }

    /// Writes 8-bit samples as a PNG, atomically.
    public static func write(bytes: [UInt8], width: Int, height: Int, channels: Int, to url: URL) throws {
        guard bytes.count == width * height * channels, [1, 3, 4].contains(channels) else {
            throw FileError(url.path, "cannot write a \(width)x\(height)x\(channels) PNG from \(bytes.count) samples")
        }
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = channels == 1 ? UInt32(PNG_FORMAT_GRAY) : channels == 3 ? UInt32(PNG_FORMAT_RGB) : UInt32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA)
        var size = 0
        // First call sizes the buffer, second writes it.
        guard bytes.withUnsafeBytes({ png_image_write_to_memory(&image, nil, &size, 0, $0.baseAddress, Int32(width * channels), nil) }) != 0 else {
            throw FileError(url.path, "PNG encoding failed: \(message(of: image))")
        }
        var out = Data(count: size)
        let ok = out.withUnsafeMutableBytes { dst in
            bytes.withUnsafeBytes { png_image_write_to_memory(&image, dst.baseAddress, &size, 0, $0.baseAddress, Int32(width * channels), nil) }
        }
        guard ok != 0 else { throw FileError(url.path, "PNG encoding failed: \(message(of: image))") }
        try AtomicFile.write(out.prefix(size), to: url)
    }

    static func message(of image: png_image) -> String {
        withUnsafeBytes(of: image.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }
}
