import Foundation
import Imaging
import PointADSupport

/// One MVTec 3D-AD sample on its pixel grid: the xyz image, and when present the registered colour
/// image (8-bit RGB, row-major) and the ground truth (8-bit grey as stored: 0 or a defect class id).
public struct OrganizedScan: Sendable, Equatable {
    public var xyz: XYZImage
    public var rgb: [UInt8]?
    public var gt: [UInt8]?

    public init(xyz: XYZImage, rgb: [UInt8]? = nil, gt: [UInt8]? = nil) {
        precondition(rgb.map { $0.count == xyz.width * xyz.height * 3 } ?? true, "rgb does not match the \(xyz.width)x\(xyz.height) grid")
        precondition(gt.map { $0.count == xyz.width * xyz.height } ?? true, "gt does not match the \(xyz.width)x\(xyz.height) grid")
        self.xyz = xyz
        self.rgb = rgb
        self.gt = gt
    }

    public var width: Int { xyz.width }
    public var height: Int { xyz.height }

    /// Reads the xyz TIFF and, when given, the rgb and gt PNGs, which must share its size.
    public static func read(xyz: URL, rgb: URL? = nil, gt: URL? = nil) throws -> OrganizedScan {
        let image = try XYZTIFFFile.read(xyz)
        func checked(_ url: URL, _ layout: PNGFile.Layout) throws -> [UInt8] {
            let png = try PNGFile.readBytes(url, as: layout)
            guard png.width == image.width, png.height == image.height else {
                throw FileError(url.path, "image is \(png.width)x\(png.height) but the xyz image \(xyz.path) is \(image.width)x\(image.height)")
            }
            return png.bytes
        }
        return OrganizedScan(xyz: image, rgb: try rgb.map { try checked($0, .rgb) }, gt: try gt.map { try checked($0, .grey) })
    }

    /// Writes each part that is present, atomically (the gt as 8-bit grey, values unchanged).
    public func write(xyz xyzURL: URL, rgb rgbURL: URL?, gt gtURL: URL?) throws {
        try XYZTIFFFile.write(xyz, to: xyzURL)
        if let rgb, let rgbURL { try PNGFile.write(bytes: rgb, width: width, height: height, channels: 3, to: rgbURL) }
        if let gt, let gtURL { try PNGFile.write(bytes: gt, width: width, height: height, channels: 1, to: gtURL) }
    }

    /// Zero padding of every part to `side`×`side`, centred: (side − h) / 2 rows on top, the rest
    /// at the bottom (so an odd extra row goes to the bottom), the same for left and right.
    public func paddedToSquare(side: Int) -> OrganizedScan {
        precondition(side >= width && side >= height, "cannot pad \(width)x\(height) to \(side)")
        let top = (side - height) / 2, left = (side - width) / 2
        func pad<T: Numeric>(_ values: [T], channels: Int) -> [T] {
            var out = [T](repeating: 0, count: side * side * channels)
            for y in 0..<height {
                let from = y * width * channels, to = ((y + top) * side + left) * channels
                out.replaceSubrange(to..<(to + width * channels), with: values[from..<(from + width * channels)])
            }
            return out
        }
        return OrganizedScan(xyz: XYZImage(width: side, height: side, values: pad(xyz.values, channels: 3)),
                             rgb: rgb.map { pad($0, channels: 3) }, gt: gt.map { pad($0, channels: 1) })
    }

    /// Sets the xyz (and rgb) of pixel `i` to 0.
    @inline(__always) mutating func clear(_ i: Int) {
        xyz.values[3 * i] = 0; xyz.values[3 * i + 1] = 0; xyz.values[3 * i + 2] = 0
        if rgb != nil { rgb![3 * i] = 0; rgb![3 * i + 1] = 0; rgb![3 * i + 2] = 0 }
    }
}
