import Foundation

/// Open3D's legacy Phong shading of grey points (dossier §2.3, `open3d-rendering.md`): point lights
/// at the bounding-box centre ± (0, 0, 2E) — `frontLights` coincident ones on the camera side,
/// `backLights` behind — each adding diffuse `color · diffuse · clamp(n·l)` and specular
/// `specular · clamp(e·r)^shininess`, the specular not gated by n·l (so back lights put a rim on
/// grazing points). No ambient by default. The normal is flipped toward the eye first, as Open3D's
/// shader does, so its sign does not matter. The sum is clamped to [0, 1].
public struct Shading: Sendable, Equatable {
    public var color: Float
    public var ambient: Float
    /// Diffuse power of one light.
    public var diffuse: Float
    public var specular: Float
    public var shininess: Float
    public var frontLights: Int
    public var backLights: Int
    public var background: Float

    public init(color: Float = 0.7, ambient: Float = 0, diffuse: Float = 0.66, specular: Float = 0.2, shininess: Float = 100,
                frontLights: Int = 2, backLights: Int = 2, background: Float = 1) {
        self.color = color
        self.ambient = ambient
        self.diffuse = diffuse
        self.specular = specular
        self.shininess = shininess
        self.frontLights = frontLights
        self.backLights = backLights
        self.background = background
    }

    /// pointad's earlier look: one head light, Lambert only (the reference's away from highlights).
    public static let headLight = Shading(diffuse: 1.32, specular: 0, frontLights: 1, backLights: 0)

    /// The grey level of a point with normal `n` at `p`, seen from `eye`, lit from `front` and `back`.
    /// A zero or non-finite normal is shaded as if it faced the eye.
    @inlinable
    public func value(normal n: SIMD3<Float>, at p: SIMD3<Float>, front: SIMD3<Float>, back: SIMD3<Float>, eye: SIMD3<Float>) -> Float {
        let e = Self.unit(eye - p) ?? SIMD3(0, 0, 1)
        var m = Self.unit(n) ?? e
        if (m * e).sum() < 0 { m = -m }
        var sum = ambient * color
        if frontLights > 0 { sum += Float(frontLights) * light(at: front, point: p, normal: m, eye: e) }
        if backLights > 0 { sum += Float(backLights) * light(at: back, point: p, normal: m, eye: e) }
        return min(1, max(0, sum))
    }

    @inlinable
    func light(at position: SIMD3<Float>, point p: SIMD3<Float>, normal m: SIMD3<Float>, eye e: SIMD3<Float>) -> Float {
        guard let l = Self.unit(position - p) else { return color * diffuse }
        let nl = (m * l).sum()
        var value = color * diffuse * max(0, min(1, nl))
        if specular > 0 {
            let r = 2 * nl * m - l                       // reflect(−l, n)
            value += specular * Self.power(max(0, min(1, (e * r).sum())), shininess)
        }
        return value
    }

    /// x^k; the default exponent 100 as seven multiplications (x⁶⁴·x³²·x⁴).
    @inlinable
    static func power(_ x: Float, _ k: Float) -> Float {
        guard k == 100 else { return pow(x, k) }
        let x2 = x * x, x4 = x2 * x2, x8 = x4 * x4, x16 = x8 * x8, x32 = x16 * x16
        return x32 * x32 * x32 * x4
    }

    @inlinable
    static func unit(_ v: SIMD3<Float>) -> SIMD3<Float>? {
        let length = (v * v).sum().squareRoot()
        return length > 0 && length.isFinite ? v / length : nil
    }
}
