import TensorCore

/// Maps per-view pixel maps back to points: a point's value is the mean over the views where it is
/// visible of its pixel's value (the reference's `back_to_3d`, nearest pixel, unweighted). Points
/// seen in no view get 0.
public struct PointBackProjection: Sendable {
    public let pointCount: Int
    public let viewCount: Int
    public let pixelsPerView: Int
    /// [view][point]: flat pixel index (row·width + column) or −1 when not visible in that view.
    public let pixels: [[Int32]]
    /// 1 / (number of views that see the point), 0 for unseen points.
    let inverseCounts: [Float]

    public init(pixels: [[Int32]], pixelsPerView: Int) throws {
        let points = pixels.first?.count ?? 0
        pointCount = points
        viewCount = pixels.count
        self.pixelsPerView = pixelsPerView
        guard pixels.allSatisfy({ $0.count == points }) else {
            throw TensorError.invalidArgument("back-projection views list different numbers of points: \(pixels.map(\.count))")
        }
        var counts = [Int](repeating: 0, count: points)
        for view in pixels {
            for (j, p) in view.enumerated() where p >= 0 {
                guard Int(p) < pixelsPerView else { throw TensorError.outOfBounds("pixel \(p) of a \(pixelsPerView)-pixel view") }
                counts[j] += 1
            }
        }
        self.pixels = pixels
        inverseCounts = counts.map { $0 > 0 ? 1 / Float($0) : 0 }
    }

    /// Maps [views, pixelsPerView, C] → point values [points, C].
    public func forward(_ maps: Tensor) throws -> Tensor {
        let c = try channels(maps)
        let out = Tensor(zeros: [pointCount, c])
        let src = maps.pointer, dst = out.pointer
        for (k, view) in pixels.enumerated() {
            let base = src + k * pixelsPerView * c
            for j in 0..<pointCount where view[j] >= 0 {
                let s = base + Int(view[j]) * c, d = dst + j * c
                for ch in 0..<c { d[ch] += s[ch] }
            }
        }
        for j in 0..<pointCount { for ch in 0..<c { dst[j * c + ch] *= inverseCounts[j] } }
        return out
    }

    /// ∂L/∂maps [views, pixelsPerView, C] for ∂L/∂points [points, C].
    public func backward(_ pointGradient: Tensor, channels c: Int) throws -> Tensor {
        guard pointGradient.count == pointCount * c else {
            throw TensorError.shapeMismatch(operation: "back-projection backward", shapes: [pointGradient.shape, [pointCount, c]])
        }
        let out = Tensor(zeros: [viewCount, pixelsPerView, c])
        let g = pointGradient.pointer, dst = out.pointer
        for (k, view) in pixels.enumerated() {
            let base = dst + k * pixelsPerView * c
            for j in 0..<pointCount where view[j] >= 0 {
                let d = base + Int(view[j]) * c, s = g + j * c, w = inverseCounts[j]
                for ch in 0..<c { d[ch] += w * s[ch] }
            }
        }
        return out
    }

    private func channels(_ maps: Tensor) throws -> Int {
        let per = viewCount * pixelsPerView
        guard per > 0, maps.count % per == 0 else {
            throw TensorError.shapeMismatch(operation: "back-projection of \(viewCount) views × \(pixelsPerView) pixels", shapes: [maps.shape])
        }
        return maps.count / per
    }
}
