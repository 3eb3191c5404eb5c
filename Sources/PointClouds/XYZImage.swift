import PointADSupport

/// An organised point cloud as an H×W×3 float32 image, the MVTec 3D-AD xyz layout: row-major,
/// x, y, z interleaved. A pixel without a 3D measurement is (0, 0, 0); like every reference
/// loader we treat a pixel as invalid when any coordinate is 0, and also when one is not finite.
public struct XYZImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// width·height·3 floats.
    public var values: [Float]

    public init(width: Int, height: Int, values: [Float]) {
        precondition(width >= 0 && height >= 0 && values.count == width * height * 3,
                     "xyz image \(width)x\(height) with \(values.count) values")
        self.width = width
        self.height = height
        self.values = values
    }

    /// An image with every pixel invalid.
    public init(width: Int, height: Int) {
        self.init(width: width, height: height, values: [Float](repeating: 0, count: width * height * 3))
    }

    @inlinable public subscript(x: Int, y: Int) -> SIMD3<Float> {
        get { let i = (y * width + x) * 3; return SIMD3(values[i], values[i + 1], values[i + 2]) }
        set { let i = (y * width + x) * 3; values[i] = newValue.x; values[i + 1] = newValue.y; values[i + 2] = newValue.z }
    }

    @inlinable public static func isValid(_ p: SIMD3<Float>) -> Bool {
        p.x != 0 && p.y != 0 && p.z != 0 && p.x.isFinite && p.y.isFinite && p.z.isFinite
    }

    /// Row-major indices (y·width + x) of the valid pixels.
    public var validPixelIndices: [Int] {
        var result: [Int] = []
        for i in 0..<(width * height) where Self.isValid(SIMD3(values[3 * i], values[3 * i + 1], values[3 * i + 2])) {
            result.append(i)
        }
        return result
    }

    /// The valid pixels as a point cloud, with the grid that maps each point back to its pixel.
    public func pointCloud(source: String? = nil) -> PointCloud {
        let indices = validPixelIndices
        let positions = indices.map { SIMD3(values[3 * $0], values[3 * $0 + 1], values[3 * $0 + 2]) }
        return PointCloud(positions: positions, grid: OrganizedGrid(width: width, height: height, pixelIndices: indices), source: source)
    }

    /// Lays an organised cloud's points back on its grid; pixels without a point are (0, 0, 0).
    public init(organizing cloud: PointCloud) throws {
        guard let grid = cloud.grid, grid.pixelIndices.count == cloud.count else {
            throw UsageError("the point cloud\(cloud.source.map { " from \($0)" } ?? "") is not organised (no grid matching its \(cloud.count) points)")
        }
        self.init(width: grid.width, height: grid.height)
        for (i, pixel) in grid.pixelIndices.enumerated() {
            guard pixel >= 0 && pixel < width * height else { throw UsageError("grid pixel index \(pixel) outside \(width)x\(height)") }
            let p = cloud.positions[i]
            values[3 * pixel] = p.x; values[3 * pixel + 1] = p.y; values[3 * pixel + 2] = p.z
        }
    }

    /// Nearest-neighbour resize as PyTorch's `interpolate(mode='nearest')` does it, which is what
    /// PointAD applies to MVTec xyz (to 336×336): source = min(floor(dst · (in/out)), in − 1), the
    /// scale computed in float32.
    public func resizedNearest(width newWidth: Int, height newHeight: Int) -> XYZImage {
        var out = XYZImage(width: newWidth, height: newHeight)
        let xs = Self.nearestSources(input: width, output: newWidth)
        let ys = Self.nearestSources(input: height, output: newHeight)
        for y in 0..<newHeight {
            for x in 0..<newWidth {
                let s = (ys[y] * width + xs[x]) * 3, d = (y * newWidth + x) * 3
                out.values[d] = values[s]; out.values[d + 1] = values[s + 1]; out.values[d + 2] = values[s + 2]
            }
        }
        return out
    }

    /// PyTorch's `nearest_idx`: identity for equal sizes, halving for exact 2× up-sampling,
    /// otherwise floor(dst · scale) with a float32 scale, clamped.
    public static func nearestSources(input: Int, output: Int) -> [Int] {
        if input == output { return Array(0..<output) }
        if output == 2 * input { return (0..<output).map { $0 >> 1 } }
        let scale = Float(input) / Float(output)
        return (0..<output).map { min(Int((Float($0) * scale).rounded(.down)), input - 1) }
    }
}

extension PointCloud {
    /// An organised cloud (MVTec xyz) resized on its grid with PyTorch-style nearest sampling,
    /// e.g. to 336×336 as PointAD does; validity is re-derived from the resized pixels.
    public func organizedResized(width: Int, height: Int) throws -> PointCloud {
        var result = try XYZImage(organizing: self).resizedNearest(width: width, height: height).pointCloud(source: source)
        result.source = source
        return result
    }
}
