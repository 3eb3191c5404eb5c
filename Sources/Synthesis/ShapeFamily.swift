import Foundation
import TensorCore

/// The kinds of procedural object a synthetic class can be. Each class draws its own parameters
/// once (its "design"); each sample of the class then varies them slightly and gets its own
/// surface texture, as parts off one production line do.
public enum ShapeFamily: String, CaseIterable, Sendable {
    /// Rounded boxes to ellipsoids (cookie, potato, soap bar).
    case superquadric
    /// Rings with an elliptical, possibly wobbling tube (bagel, tire, gasket).
    case torus
    /// Surfaces of revolution with grooves and ridges (dowel, cable gland, bottle, vase).
    case lathe
    /// Lumpy organic blobs (peach, potato, stone).
    case blob
}

/// One class's design: a family, its shape parameters and its look.
public struct ShapeDesign: Sendable {
    public let family: ShapeFamily
    /// Family-specific parameters (see `ShapeDesign.surfacePoint`).
    let parameters: [Float]
    /// Ridges and grooves of a lathe profile: (position along the axis 0…1, relative amplitude, width).
    let rings: [SIMD3<Float>]
    /// Lobes of a blob: unit direction and (amplitude, sharpness).
    let lobes: [(direction: SIMD3<Float>, amplitude: Float, sharpness: Float)]
    public let baseColor: SIMD3<Float>
    /// Fine surface relief, as a fraction of the object's size.
    public let textureAmplitude: Float
    public let textureFrequency: Float

    /// Draws a design of `family` from `rng`.
    public init(family: ShapeFamily, rng: inout SeededRandom) {
        self.family = family
        func uniform(_ lo: Float, _ hi: Float) -> Float { lo + (hi - lo) * rng.uniform() }
        switch family {
        case .superquadric:
            parameters = [uniform(0.75, 1.0), uniform(0.6, 0.95), uniform(0.35, 0.7), uniform(0.35, 0.9), uniform(0.35, 0.9)]
            rings = []
            lobes = []
        case .torus:
            parameters = [uniform(0.6, 0.72), uniform(0.2, 0.3), uniform(0.55, 1.0), uniform(0, 0.06), Float(Int(uniform(2, 6)))]
            rings = []
            lobes = []
        case .lathe:
            parameters = [uniform(1.2, 1.8), uniform(0.3, 0.5), uniform(-0.35, 0.35), uniform(0.04, 0.1)]
            rings = (0..<Int(uniform(1, 5))).map { _ in
                SIMD3(uniform(0.1, 0.9), (rng.uniform() < 0.5 ? -1 : 1) * uniform(0.04, 0.12), uniform(0.02, 0.08))
            }
            lobes = []
        case .blob:
            parameters = [uniform(0.8, 1.0), uniform(0.65, 0.95), uniform(0.55, 0.85)]
            rings = []
            lobes = (0..<Int(uniform(3, 7))).map { _ in
                let direction = normalized(SIMD3(rng.normal(), rng.normal(), rng.normal()))
                return (direction, uniform(-0.12, 0.22), uniform(2, 6))
            }
        }
        baseColor = SIMD3(uniform(0.35, 0.9), uniform(0.3, 0.85), uniform(0.25, 0.8))
        textureAmplitude = family == .blob ? uniform(0.006, 0.012) : uniform(0.002, 0.006)
        textureFrequency = uniform(6, 14)
    }

    /// A closed mesh of one sample: the design with parameters jittered by a few percent, its own
    /// relief and colour mottling. Sizes are about one unit (the object fits a sphere of radius ≈ 1).
    /// `resolution` is the number of vertex rings from pole to pole.
    public func sampleMesh(rng: inout SeededRandom, resolution: Int) -> SurfaceMesh {
        let jittered = parameters.map { $0 * (1 + 0.04 * (2 * rng.uniform() - 1)) }
        let topology: ParametricGrid.Topology = family == .torus ? .torus : .sphere
        var mesh = ParametricGrid.mesh(rows: resolution, columns: 2 * resolution, topology: topology) { u, v in
            surfacePoint(u: u, v: v, parameters: jittered)
        }
        decorate(&mesh, rng: &rng)
        return mesh
    }

    /// A sample of a scanned shape: the scan stretched by a few percent per axis, with this
    /// design's relief and colours.
    public func sampleMesh(of scan: ScannedShape, rng: inout SeededRandom) -> SurfaceMesh {
        var mesh = scan.mesh
        let stretch = SIMD3<Float>(1 + 0.04 * (2 * rng.uniform() - 1), 1 + 0.04 * (2 * rng.uniform() - 1), 1 + 0.04 * (2 * rng.uniform() - 1))
        for i in mesh.vertices.indices { mesh.vertices[i] *= stretch }
        decorate(&mesh, rng: &rng)
        return mesh
    }

    /// Adds fine relief along the normals and mottled colour.
    private func decorate(_ mesh: inout SurfaceMesh, rng: inout SeededRandom) {
        let relief = SmoothNoise(seed: rng.next())
        let mottling = SmoothNoise(seed: rng.next())
        let tint = SIMD3<Float>(repeating: 1 + 0.08 * (2 * rng.uniform() - 1))
        let normals = mesh.vertexNormals()
        for i in mesh.vertices.indices {
            let p = mesh.vertices[i]
            let bump = relief.fractal(at: p * textureFrequency, octaves: 3)
            mesh.vertices[i] = p + normals[i] * (textureAmplitude * bump)
            let shade = 1 + 0.12 * mottling.fractal(at: p * 4, octaves: 2)
            mesh.albedo[i] = simdClamp(baseColor * tint * shade, 0, 1)
        }
    }

    /// The surface point at grid coordinates (u, v) ∈ [0, 1]², u from pole to pole (or around the
    /// tube of a torus), v around the axis.
    func surfacePoint(u: Float, v: Float, parameters p: [Float]) -> SIMD3<Float> {
        let phi = Double(v) * 2 * Double.pi
        switch family {
        case .superquadric:
            // Signed-power superellipsoid with radii p0…p2 and exponents p3 (latitude), p4 (longitude).
            let theta = (Double(u) - 0.5) * Double.pi
            let ct = signedPower(cos(theta), p[3]), st = signedPower(sin(theta), p[3])
            return SIMD3(p[0] * ct * signedPower(cos(phi), p[4]), p[1] * ct * signedPower(sin(phi), p[4]), p[2] * st)
        case .torus:
            // Major radius p0 wobbling by p3 with p4 lobes, tube radius p1 flattened to p2 in height.
            let psi = Double(u) * 2 * Double.pi
            let major = p[0] * (1 + p[3] * Float(cos(Double(p[4].rounded()) * phi)))
            let radial = SIMD3<Float>(Float(cos(phi)), Float(sin(phi)), 0)
            return radial * (major + p[1] * Float(cos(psi))) + SIMD3(0, 0, p[1] * p[2] * Float(sin(psi)))
        case .lathe:
            return lathePoint(u: u, phi: phi, height: p[0], radius: p[1], taper: p[2], bevel: p[3])
        case .blob:
            let theta = Double(u) * Double.pi
            let direction = SIMD3<Float>(Float(sin(theta) * cos(phi)), Float(sin(theta) * sin(phi)), Float(-cos(theta)))
            var radius: Float = 1
            for lobe in lobes {
                radius += lobe.amplitude * Float(exp(Double(lobe.sharpness * (dot(direction, lobe.direction) - 1))))
            }
            return direction * radius * SIMD3(p[0], p[1], p[2]) / 1.2
        }
    }

    /// A surface of revolution: flat caps with a rounded rim (radius `bevel`) joined by a side
    /// whose radius follows the taper and the rings. u ∈ [0, 0.2] is the bottom cap, [0.2, 0.8]
    /// the side, [0.8, 1] the top cap.
    private func lathePoint(u: Float, phi: Double, height: Float, radius: Float, taper: Float, bevel: Float) -> SIMD3<Float> {
        func profile(_ t: Float) -> Float {
            var r = radius * (1 + taper * (t - 0.5))
            for ring in rings {
                let d = (t - ring.x) / ring.z
                r += radius * ring.y * Float(exp(Double(-d * d)))
            }
            return max(r, 0.3 * radius)
        }
        let half = height / 2
        let r: Float, z: Float
        if u < 0.2 || u > 0.8 {
            let top = u > 0.8
            let s = top ? (1 - u) / 0.2 : u / 0.2
            let rim = profile(top ? 1 : 0)
            if s < 0.7 {
                r = (rim - bevel) * s / 0.7
                z = -half
            } else {
                let angle = Double((s - 0.7) / 0.3) * Double.pi / 2
                r = rim - bevel + bevel * Float(sin(angle))
                z = -half + bevel - bevel * Float(cos(angle))
            }
            return SIMD3(r * Float(cos(phi)), r * Float(sin(phi)), top ? -z : z)
        }
        let t = (u - 0.2) / 0.6
        r = profile(t)
        z = -half + bevel + t * (height - 2 * bevel)
        return SIMD3(r * Float(cos(phi)), r * Float(sin(phi)), z)
    }
}

/// sign(x)·|x|^e, the superquadric's rounding function.
private func signedPower(_ x: Double, _ e: Float) -> Float {
    let magnitude = Float(pow(abs(x), Double(e)))
    return x < 0 ? -magnitude : magnitude
}

private func simdClamp(_ v: SIMD3<Float>, _ lo: Float, _ hi: Float) -> SIMD3<Float> {
    pointwiseMin(pointwiseMax(v, SIMD3(repeating: lo)), SIMD3(repeating: hi))
}
