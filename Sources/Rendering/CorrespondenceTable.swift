import PointADSupport

/// Every view's point–pixel correspondence packed as one int32 tensor [V, N, 3] of
/// (column u, row v, visible 0/1): the reference's `view_<k>_cor.npy` files stacked, as int32.
/// `pointad render` stores it as `correspondence.safetensors` (tensor `correspondence`, with the
/// grid size, view set and settings in the metadata), which numpy/torch read directly.
public struct CorrespondenceTable: Sendable, Equatable {
    public static let tensorName = "correspondence"

    public let size: Int
    public let viewCount: Int
    public let pointCount: Int
    /// Row-major [viewCount, pointCount, 3].
    public let values: [Int32]
    public var metadata: [String: String]

    public var shape: [Int] { [viewCount, pointCount, 3] }

    public init(projections: [ViewProjection], metadata: [String: String] = [:]) {
        size = projections.first?.size ?? 0
        viewCount = projections.count
        pointCount = projections.first?.count ?? 0
        var values = [Int32](repeating: 0, count: viewCount * pointCount * 3)
        for (k, projection) in projections.enumerated() {
            precondition(projection.count == pointCount && projection.size == size, "views differ in points or grid")
            for i in 0..<pointCount {
                let base = (k * pointCount + i) * 3
                values[base] = Int32(projection.column(i))
                values[base + 1] = Int32(projection.row(i))
                values[base + 2] = projection.visible[i] ? 1 : 0
            }
        }
        self.values = values
        self.metadata = metadata.merging(["grid_size": String(size), "layout": "view, point, (u, v, visible)"]) { a, _ in a }
    }

    /// Unpacks a table read back from a file, checking every entry; `path` names the file in errors.
    public init(values: [Int32], shape: [Int], size: Int, path: String) throws {
        guard shape.count == 3, shape[2] == 3, shape[0] >= 0, shape[1] >= 0, values.count == shape[0] * shape[1] * 3 else {
            throw FileError(path, "correspondence has shape \(shape) for \(values.count) values; expected [views, points, 3]")
        }
        guard size > 0 else { throw FileError(path, "correspondence grid size \(size) is not positive") }
        for t in 0..<(values.count / 3) {
            let u = values[3 * t], v = values[3 * t + 1], flag = values[3 * t + 2]
            guard (0..<Int32(size)).contains(u), (0..<Int32(size)).contains(v), flag == 0 || flag == 1 else {
                throw FileError(path, "correspondence entry \(t) (\(u), \(v), \(flag)) is outside a \(size)² grid")
            }
        }
        self.size = size
        viewCount = shape[0]
        pointCount = shape[1]
        self.values = values
        metadata = [:]
    }

    /// The table as per-view projections.
    public var projections: [ViewProjection] {
        (0..<viewCount).map { k in
            var pixels = [Int32](repeating: 0, count: pointCount), visible = [Bool](repeating: false, count: pointCount)
            for i in 0..<pointCount {
                let base = (k * pointCount + i) * 3
                pixels[i] = values[base + 1] * Int32(size) + values[base]
                visible[i] = values[base + 2] != 0
            }
            return ViewProjection(size: size, pixels: pixels, visible: visible)
        }
    }
}
