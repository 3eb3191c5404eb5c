/// An image with float samples in [0, 1], interleaved (row-major, channels last: HWC).
/// One (grey), three (RGB) or four (RGBA) channels.
public struct Image: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let channels: Int
    public var pixels: [Float]

    public init(width: Int, height: Int, channels: Int, pixels: [Float]) {
        precondition(width >= 0 && height >= 0 && (1...4).contains(channels) && pixels.count == width * height * channels,
                     "image \(width)x\(height)x\(channels) with \(pixels.count) samples")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// A uniform image.
    public init(width: Int, height: Int, channels: Int, fill: Float) {
        self.init(width: width, height: height, channels: channels, pixels: [Float](repeating: fill, count: width * height * channels))
    }

    /// Sample (x, y, c).
    @inlinable public subscript(x: Int, y: Int, c: Int) -> Float {
        get { pixels[(y * width + x) * channels + c] }
        set { pixels[(y * width + x) * channels + c] = newValue }
    }

    /// Samples quantised to 8 bits (rounded, clamped).
    public func bytes() -> [UInt8] {
        pixels.map { UInt8(max(0, min(255, ($0 * 255).rounded()))) }
    }
}
