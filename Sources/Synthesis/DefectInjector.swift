import Foundation
import TensorCore

/// Changes a mesh's geometry to create one defect, and labels exactly the vertices it moved.
///
/// Sizes are fractions of `scale` (the object's bounding radius). A displaced vertex is labelled
/// when it moved by at least a tenth of the defect's peak displacement, so the labelled region is
/// where a scanner could see the change; vertices that did not move keep their label.
enum DefectInjector {
    /// Labelled vertices below this fraction of the peak displacement stay normal.
    static let labelFraction: Float = 0.1

    /// Applies `kind` around vertex `centerIndex`. `normals` are the intact surface's vertex normals.
    /// Returns how many vertices were labelled.
    @discardableResult
    static func inject(_ kind: DefectKind, at centerIndex: Int, into mesh: inout SurfaceMesh,
                       normals: [SIMD3<Float>], scale: Float, rng: inout SeededRandom) -> Int {
        func uniform(_ lo: Float, _ hi: Float) -> Float { (lo + (hi - lo) * rng.uniform()) * scale }
        let center = mesh.vertices[centerIndex]
        let normal = normals[centerIndex]
        switch kind {
        case .bump, .dent:
            let radius = uniform(0.15, 0.3)
            let height = uniform(0.05, 0.11) * (kind == .bump ? 1 : -1)
            return displace(&mesh, normals: normals, kind: kind, peak: abs(height)) { p, n in
                guard dot(n, normal) > 0.2 else { return 0 }
                let t = distance(p, center) / radius
                guard t < 1 else { return 0 }
                let f = 1 - t * t
                return height * f * f
            }
        case .crack:
            let path = crackPath(length: uniform(0.5, 0.9), rng: &rng)
            let halfWidth = uniform(0.025, 0.045)
            let depth = uniform(0.04, 0.08)
            let reach = path.reach
            let (t1, t2) = tangentBasis(normal)
            return displace(&mesh, normals: normals, kind: kind, peak: depth) { p, n in
                let offset = p - center
                guard dot(n, normal) > 0.3, length(offset) < reach + halfWidth else { return 0 }
                let d = path.distance(to: SIMD2(dot(offset, t1), dot(offset, t2)))
                return d < halfWidth ? -depth * (1 - d / halfWidth) : 0
            }
        case .hole:
            let radius = uniform(0.08, 0.14)
            let depth = uniform(0.2, 0.35)
            return displace(&mesh, normals: normals, kind: kind, peak: depth, along: normal) { p, n in
                guard dot(n, normal) > 0.2 else { return 0 }
                let offset = p - center
                let radial = length(offset - normal * dot(offset, normal))
                guard abs(dot(offset, normal)) < radius, radial < radius else { return 0 }
                let t = radial / radius
                if t <= 0.75 { return -depth }
                let s = (1 - t) / 0.25
                return -depth * s * s * (3 - 2 * s)
            }
        case .missing:
            // A chip: material above a tilted plane is shaved off within a ball, leaving a flat facet
            // that blends into the surface at the ball's edge.
            let radius = uniform(0.25, 0.4)
            let plane = center - normal * uniform(0.04, 0.08)
            let (t1, t2) = tangentBasis(normal)
            let heading = Double(rng.uniform()) * 2 * Double.pi
            let tilt = Double(0.3 + 0.4 * rng.uniform())
            let side = t1 * Float(cos(heading)) + t2 * Float(sin(heading))
            let facet = normal * Float(cos(tilt)) + side * Float(sin(tilt))
            let peak = dot(center - plane, facet) + radius * Float(sin(tilt))
            return displace(&mesh, normals: normals, kind: kind, peak: peak, along: facet) { p, n in
                guard dot(n, normal) > 0.2 else { return 0 }
                let t = distance(p, center) / radius
                let beyond = dot(p - plane, facet)
                guard t < 1, beyond > 0 else { return 0 }
                let s = min(1, (1 - t) / 0.3)
                return -beyond * s * s * (3 - 2 * s)
            }
        case .extra:
            return addBlob(to: &mesh, center: center, normal: normal, radius: uniform(0.08, 0.15), rng: &rng)
        }
    }

    /// Moves every vertex by `offset(p, n)` along its normal (or along `along` when given), and
    /// labels those moved by ≥ `labelFraction`·`peak`.
    private static func displace(_ mesh: inout SurfaceMesh, normals: [SIMD3<Float>], kind: DefectKind, peak: Float,
                                 along direction: SIMD3<Float>? = nil,
                                 offset: (SIMD3<Float>, SIMD3<Float>) -> Float) -> Int {
        var labelled = 0
        for i in mesh.vertices.indices {
            let amount = offset(mesh.vertices[i], normals[i])
            guard amount != 0 else { continue }
            mesh.vertices[i] += (direction ?? normals[i]) * amount
            if abs(amount) >= labelFraction * peak {
                mesh.defect[i] = kind.groundTruthValue
                labelled += 1
            }
        }
        return labelled
    }

    /// Sticks a lumpy ellipsoid of foreign material on the surface, partly sunk into it.
    private static func addBlob(to mesh: inout SurfaceMesh, center: SIMD3<Float>, normal: SIMD3<Float>,
                                radius: Float, rng: inout SeededRandom) -> Int {
        let (t1, t2) = tangentBasis(normal)
        let radii = SIMD3<Float>(radius, radius * (0.6 + 0.4 * rng.uniform()), radius * (0.5 + 0.3 * rng.uniform()))
        let blobCenter = center + normal * (0.35 * radii.z)
        let relief = SmoothNoise(seed: rng.next())
        let color = SIMD3<Float>(0.15 + 0.2 * rng.uniform(), 0.12 + 0.15 * rng.uniform(), 0.1 + 0.1 * rng.uniform())
        var blob = ParametricGrid.mesh(rows: 24, columns: 48, topology: .sphere) { u, v in
            let theta = Double(u) * Double.pi, phi = Double(v) * 2 * Double.pi
            let unit = SIMD3<Float>(Float(sin(theta) * cos(phi)), Float(sin(theta) * sin(phi)), Float(-cos(theta)))
            let bumpy = unit * (1 + 0.015 * relief.value(at: unit * 3))
            let local = bumpy * radii
            return blobCenter + t1 * local.x + t2 * local.y + normal * local.z
        }
        blob.albedo = [SIMD3<Float>](repeating: color, count: blob.vertices.count)
        blob.defect = [UInt8](repeating: DefectKind.extra.groundTruthValue, count: blob.vertices.count)
        // The intact surface under the blob is hidden; shrink the occluder so the blob's own
        // slightly bumpy surface is never mistaken for hidden surface.
        mesh.occluders.append(Ellipsoid(center: blobCenter, axes: (t1, t2, normal), radii: radii * 0.93))
        let count = blob.vertices.count
        mesh.append(blob)
        return count
    }

    /// A meandering polyline in the tangent plane, centred on the origin.
    private static func crackPath(length: Float, rng: inout SeededRandom) -> Polyline2D {
        let steps = 16
        var heading = Double(rng.uniform()) * 2 * Double.pi
        var points: [SIMD2<Float>] = [.zero]
        for _ in 0..<steps {
            heading += Double(rng.uniform() - 0.5) * 0.7
            points.append(points.last! + SIMD2(Float(cos(heading)), Float(sin(heading))) * (length / Float(steps)))
        }
        let middle = points[steps / 2]
        return Polyline2D(points: points.map { $0 - middle })
    }

    /// Two unit vectors spanning the plane perpendicular to `n`.
    static func tangentBasis(_ n: SIMD3<Float>) -> (SIMD3<Float>, SIMD3<Float>) {
        let helper: SIMD3<Float> = abs(n.x) < 0.9 ? SIMD3(1, 0, 0) : SIMD3(0, 1, 0)
        let t1 = normalized(cross(n, helper))
        return (t1, cross(n, t1))
    }
}
