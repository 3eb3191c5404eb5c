import Foundation

/// A rotation (rows of a 3×3 matrix), uniform scale and translation: x ↦ scale·R·x + t.
public struct RigidTransform: Sendable {
    public var rows: (SIMD3<Float>, SIMD3<Float>, SIMD3<Float>)
    public var scale: Float
    public var translation: SIMD3<Float>

    public init(rows: (SIMD3<Float>, SIMD3<Float>, SIMD3<Float>) = (SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1)),
                scale: Float = 1, translation: SIMD3<Float> = .zero) {
        self.rows = rows
        self.scale = scale
        self.translation = translation
    }

    /// Rotation by `angle` radians about a unit `axis` (Rodrigues).
    public static func rotation(axis: SIMD3<Float>, angle: Float) -> RigidTransform {
        let c = Float(cos(Double(angle))), s = Float(sin(Double(angle))), t = 1 - c
        let (x, y, z) = (axis.x, axis.y, axis.z)
        return RigidTransform(rows: (SIMD3(t * x * x + c, t * x * y - s * z, t * x * z + s * y),
                                     SIMD3(t * x * y + s * z, t * y * y + c, t * y * z - s * x),
                                     SIMD3(t * x * z - s * y, t * y * z + s * x, t * z * z + c)))
    }

    public func rotate(_ v: SIMD3<Float>) -> SIMD3<Float> {
        SIMD3(dot(rows.0, v), dot(rows.1, v), dot(rows.2, v))
    }

    public func apply(_ v: SIMD3<Float>) -> SIMD3<Float> { rotate(v) * scale + translation }

    /// `self` after `first`: x ↦ self(first(x)).
    public func after(_ first: RigidTransform) -> RigidTransform {
        let columns = (rotate(SIMD3(first.rows.0.x, first.rows.1.x, first.rows.2.x)),
                       rotate(SIMD3(first.rows.0.y, first.rows.1.y, first.rows.2.y)),
                       rotate(SIMD3(first.rows.0.z, first.rows.1.z, first.rows.2.z)))
        let rows = (SIMD3(columns.0.x, columns.1.x, columns.2.x),
                    SIMD3(columns.0.y, columns.1.y, columns.2.y),
                    SIMD3(columns.0.z, columns.1.z, columns.2.z))
        return RigidTransform(rows: rows, scale: scale * first.scale, translation: apply(first.translation))
    }
}
