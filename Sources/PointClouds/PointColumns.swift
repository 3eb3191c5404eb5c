import PointADSupport

/// Per-point columns decoded from a file (one float array per property, in file order) and how
/// they become a `PointCloud`: x/y/z are the positions, nx/ny/nz (or normal_x…) the normals,
/// red/green/blue (or r/g/b, diffuse_red…) the colours, and every other property a named scalar.
struct PointColumns {
    struct Column {
        var name: String
        var type: ScalarType
        var values: [Float]
    }

    /// What to do with points whose position is not finite.
    enum InvalidPoints {
        /// A non-finite coordinate is an error naming the point.
        case reject
        /// Drop them, keeping an `OrganizedGrid` of the survivors (organised PCD: NaN marks "no return").
        case dropIntoGrid(width: Int, height: Int)
    }

    var count: Int
    var columns: [Column] = []
    /// The singular noun for error messages ("vertex", "point", "line").
    var noun: String

    private static let normalNames: [[String]] = [["nx", "ny", "nz"], ["normal_x", "normal_y", "normal_z"]]
    private static let colorNames: [[String]] = [["red", "green", "blue"], ["r", "g", "b"], ["diffuse_red", "diffuse_green", "diffuse_blue"]]

    func index(of name: String) -> Int? { columns.firstIndex { $0.name == name } }

    private func triple(_ names: [[String]]) -> [Int]? {
        for candidate in names {
            let found = candidate.compactMap(index(of:))
            if found.count == 3 { return found }
        }
        return nil
    }

    /// Colour channels are divided by their integer range: 8-bit 255, 16-bit 65535; floats are already [0, 1].
    private static func colorRange(_ type: ScalarType) -> Float {
        switch type {
        case .uint8, .int8: 255
        case .uint16, .int16: 65535
        default: 1
        }
    }

    func assemble(path: String, invalid: InvalidPoints = .reject) throws -> PointCloud {
        guard let xyz = triple([["x", "y", "z"]]) else {
            throw FileError(path, "no x, y, z \(noun) properties (found: \(columns.map(\.name).joined(separator: " ")))")
        }
        guard count > 0 else { throw FileError(path, "contains no points") }
        let xs = columns[xyz[0]].values, ys = columns[xyz[1]].values, zs = columns[xyz[2]].values
        var keep: [Int]? = nil
        switch invalid {
        case .reject:
            for i in 0..<count where !(xs[i].isFinite && ys[i].isFinite && zs[i].isFinite) {
                throw FileError(path, "\(noun) \(i) has a non-finite coordinate (\(xs[i]), \(ys[i]), \(zs[i]))")
            }
        case .dropIntoGrid:
            var kept: [Int] = []
            kept.reserveCapacity(count)
            for i in 0..<count where xs[i].isFinite && ys[i].isFinite && zs[i].isFinite { kept.append(i) }
            guard !kept.isEmpty else { throw FileError(path, "contains no valid points (all coordinates are NaN or infinite)") }
            keep = kept
        }

        func gather(_ values: [Float]) -> [Float] { keep.map { $0.map { values[$0] } } ?? values }
        func gather3(_ c: [Int], divisor: Float = 1) -> [SIMD3<Float>] {
            let a = gather(columns[c[0]].values), b = gather(columns[c[1]].values), d = gather(columns[c[2]].values)
            var out = [SIMD3<Float>](repeating: .zero, count: a.count)
            for i in 0..<a.count { out[i] = SIMD3(a[i], b[i], d[i]) / divisor }
            return out
        }

        var used = Set(xyz)
        var cloud = PointCloud(positions: gather3(xyz), source: path)
        if let n = triple(Self.normalNames) {
            cloud.normals = gather3(n)
            used.formUnion(n)
        }
        if let c = triple(Self.colorNames) {
            cloud.colors = gather3(c, divisor: Self.colorRange(columns[c[0]].type))
            used.formUnion(c)
        }
        for (i, column) in columns.enumerated() where !used.contains(i) {
            var values = gather(column.values)
            if column.name == "alpha" || column.name == "a" {
                let range = Self.colorRange(column.type)
                for j in 0..<values.count { values[j] /= range }
            }
            cloud.scalars[column.name] = values
        }
        if case .dropIntoGrid(let width, let height) = invalid, let keep {
            cloud.grid = OrganizedGrid(width: width, height: height, pixelIndices: keep)
        }
        return cloud
    }
}
