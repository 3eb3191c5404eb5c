/// A plane a·x + b·y + c·z + d = 0 with a unit normal (a, b, c), in double precision as Open3D
/// keeps it; the signed distance of a point is a·x + b·y + c·z + d.
public struct PlaneModel: Sendable, Equatable, Codable {
    public var a: Double
    public var b: Double
    public var c: Double
    public var d: Double

    public init(a: Double, b: Double, c: Double, d: Double) {
        self.a = a; self.b = b; self.c = c; self.d = d
    }

    @inline(__always) public func signedDistance(_ x: Double, _ y: Double, _ z: Double) -> Double {
        a * x + b * y + c * z + d
    }

    @inline(__always) public func distance(_ p: SIMD3<Float>) -> Double {
        abs(signedDistance(Double(p.x), Double(p.y), Double(p.z)))
    }

    /// The least-squares plane through the points `indices` of (xs, ys, zs), as Open3D's
    /// `GetPlaneFromPoints`: the centroid and the 3×3 scatter matrix, then the normal from the
    /// cofactors of the axis whose 2×2 determinant is largest (exact for a noiseless plane and
    /// well conditioned for any plane that is not degenerate). nil for collinear or coincident points.
    public static func leastSquares(xs: UnsafePointer<Double>, ys: UnsafePointer<Double>, zs: UnsafePointer<Double>,
                                    indices: UnsafeBufferPointer<Int32>) -> PlaneModel? {
        guard indices.count >= 3 else { return nil }
        var cx = 0.0, cy = 0.0, cz = 0.0
        for i in indices { cx += xs[Int(i)]; cy += ys[Int(i)]; cz += zs[Int(i)] }
        let n = Double(indices.count)
        cx /= n; cy /= n; cz /= n
        var xx = 0.0, xy = 0.0, xz = 0.0, yy = 0.0, yz = 0.0, zz = 0.0
        for i in indices {
            let rx = xs[Int(i)] - cx, ry = ys[Int(i)] - cy, rz = zs[Int(i)] - cz
            xx += rx * rx; xy += rx * ry; xz += rx * rz
            yy += ry * ry; yz += ry * rz; zz += rz * rz
        }
        let detX = yy * zz - yz * yz, detY = xx * zz - xz * xz, detZ = xx * yy - xy * xy
        var normal: SIMD3<Double>
        if detX > detY && detX > detZ {
            normal = SIMD3(detX, xz * yz - xy * zz, xy * yz - xz * yy)
        } else if detY > detZ {
            normal = SIMD3(xz * yz - xy * zz, detY, xy * xz - yz * xx)
        } else {
            normal = SIMD3(xy * yz - xz * yy, xy * xz - yz * xx, detZ)
        }
        let length = (normal * normal).sum().squareRoot()
        guard length > 0, length.isFinite else { return nil }
        normal /= length
        return PlaneModel(a: normal.x, b: normal.y, c: normal.z, d: -(normal.x * cx + normal.y * cy + normal.z * cz))
    }
}
