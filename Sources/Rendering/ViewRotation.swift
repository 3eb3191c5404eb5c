import Foundation

/// One view of a multi-view set: the object is turned about its centre by `degrees` about `axis`
/// (right-handed, like Open3D's `get_rotation_matrix_from_axis_angle`); the camera never moves.
public struct ViewRotation: Sendable, Equatable, CustomStringConvertible {
    public enum Axis: String, Sendable, Equatable, CaseIterable { case x, y, z }

    public var axis: Axis
    public var degrees: Double

    public init(_ axis: Axis, _ degrees: Double) {
        self.axis = axis
        self.degrees = degrees
    }

    /// The rotation matrix, row-major.
    public var matrix: RotationMatrix { RotationMatrix(axis: axis, degrees: degrees) }

    public var description: String { "\(axis.rawValue)\(degrees >= 0 ? "+" : "")\(degrees)°" }
}

/// A 3×3 rotation in double precision (the reference rotates float64 points), rows as vectors.
public struct RotationMatrix: Sendable, Equatable {
    public var rows: (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>)

    public init(rows: (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>)) { self.rows = rows }

    public static let identity = RotationMatrix(rows: (SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1)))

    /// Right-handed rotation by `degrees` about a coordinate axis.
    public init(axis: ViewRotation.Axis, degrees: Double) {
        let r = degrees * .pi / 180
        // cos/sin of exact multiples of 90° would leave 6e-17 residues; snap them so a 180° flip is exact.
        let c = Self.snapped(cos(r)), s = Self.snapped(sin(r))
        switch axis {
        case .x: rows = (SIMD3(1, 0, 0), SIMD3(0, c, -s), SIMD3(0, s, c))
        case .y: rows = (SIMD3(c, 0, s), SIMD3(0, 1, 0), SIMD3(-s, 0, c))
        case .z: rows = (SIMD3(c, -s, 0), SIMD3(s, c, 0), SIMD3(0, 0, 1))
        }
    }

    /// self · other: the rotation that applies `other` first, then `self`.
    public func composed(with other: RotationMatrix) -> RotationMatrix {
        let columns = other.transposed.rows
        func row(_ r: SIMD3<Double>) -> SIMD3<Double> {
            SIMD3((r * columns.0).sum(), (r * columns.1).sum(), (r * columns.2).sum())
        }
        return RotationMatrix(rows: (row(rows.0), row(rows.1), row(rows.2)))
    }

    public var transposed: RotationMatrix {
        let (a, b, c) = rows
        return RotationMatrix(rows: (SIMD3(a.x, b.x, c.x), SIMD3(a.y, b.y, c.y), SIMD3(a.z, b.z, c.z)))
    }

    @inlinable public func apply(_ v: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3((rows.0 * v).sum(), (rows.1 * v).sum(), (rows.2 * v).sum())
    }

    public static func == (a: RotationMatrix, b: RotationMatrix) -> Bool {
        a.rows.0 == b.rows.0 && a.rows.1 == b.rows.1 && a.rows.2 == b.rows.2
    }

    private static func snapped(_ x: Double) -> Double { abs(x) < 1e-15 ? 0 : x }
}
