import CPNG
import Foundation
import PointADSupport

/// A binary ground-truth mask: true where a pixel is defective.
public struct BinaryMask: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// Row-major, width·height entries.
    public var pixels: [Bool]

    public init(width: Int, height: Int, pixels: [Bool]) {
        precondition(pixels.count == width * height, "mask \(width)x\(height) with \(pixels.count) pixels")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    public var defectCount: Int { pixels.reduce(0) { $0 + ($1 ? 1 : 0) } }
}

/// Ground-truth masks from PNG (MVTec 3D-AD gt, Eyecandies masks): 8- or 16-bit grey, palette,
/// RGB(A). A pixel is a defect when any colour channel is > 0, as MVTec's evaluator does (its gt
/// values are class ids 253…255, not just 255).
public enum MaskFile {
    public static func read(_ url: URL) throws -> BinaryMask {
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw FileError(path, "no such file")
        }
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_file(&image, path) != 0 else {
            throw FileError(path, "not a readable PNG: \(message(image))")
        }
        defer { png_image_free(&image) }
        let width = Int(image.width), height = Int(image.height)
        try PixelBudget.check(width: width, height: height, path: path, format: "PNG")
        // 8-bit files are read as 8-bit RGB (no conversion: exact). 16-bit files are read as 16-bit
        // linear RGB, which libpng leaves unscaled, where its 8-bit conversion would round a
        // 16-bit value of 1 down to 0.
        let sixteenBit = image.format & UInt32(PNG_FORMAT_FLAG_LINEAR) != 0
        var pixels = [Bool](repeating: false, count: width * height)
        if sixteenBit {
            image.format = UInt32(PNG_FORMAT_LINEAR_RGB)
            var samples = [UInt16](repeating: 0, count: width * height * 3)
            let ok = samples.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
            guard ok != 0 else { throw FileError(path, "corrupt PNG: \(message(image))") }
            for i in 0..<(width * height) { pixels[i] = (samples[3 * i] | samples[3 * i + 1] | samples[3 * i + 2]) != 0 }
        } else {
            image.format = UInt32(PNG_FORMAT_RGB)
            var samples = [UInt8](repeating: 0, count: width * height * 3)
            let ok = samples.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
            guard ok != 0 else { throw FileError(path, "corrupt PNG: \(message(image))") }
            for i in 0..<(width * height) { pixels[i] = (samples[3 * i] | samples[3 * i + 1] | samples[3 * i + 2]) != 0 }
        }
        return BinaryMask(width: width, height: height, pixels: pixels)
    }

    private static func message(_ image: png_image) -> String {
        withUnsafeBytes(of: image.message) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
    }
}
