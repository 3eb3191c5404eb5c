/// Where every point of a cloud lands in one view, and whether that view sees it.
///
/// Pixels are on the `size`×`size` output grid (the reference's correspondence): truncated grid
/// coordinates clipped into the image, so points outside the frame sit on the border pixels (the
/// reference keeps them too). Points behind the camera are never visible.
public struct ViewProjection: Sendable, Equatable {
    public let size: Int
    /// Row-major pixel index (row · size + column) of each point.
    public var pixels: [Int32]
    public var visible: [Bool]

    public init(size: Int, pixels: [Int32], visible: [Bool]) {
        precondition(pixels.count == visible.count, "\(pixels.count) pixels for \(visible.count) flags")
        self.size = size
        self.pixels = pixels
        self.visible = visible
    }

    public var count: Int { pixels.count }
    public var visibleCount: Int { visible.reduce(0) { $0 + ($1 ? 1 : 0) } }

    /// Column (u, x) of point `i`.
    @inlinable public func column(_ i: Int) -> Int { Int(pixels[i]) % size }
    /// Row (v, y) of point `i`.
    @inlinable public func row(_ i: Int) -> Int { Int(pixels[i]) / size }

    /// The value of a `size`×`size` row-major map at each point's pixel (nearest, as the reference).
    public func gather(_ map: [Float]) -> [Float] {
        precondition(map.count == size * size, "map of \(map.count) values for a \(size)×\(size) grid")
        return pixels.map { map[Int($0)] }
    }
}
