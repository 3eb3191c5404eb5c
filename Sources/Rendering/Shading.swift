/// Flat grey points lit by one white head light: Lambert diffuse plus ambient, no specular.
///
/// The defaults match what the authors' Open3D renders look like away from highlights (dossier
/// §2.3): no ambient, two coincident front lights of diffuse power 0.66 each on grey 0.7, so a
/// surface tilted θ from the light shows 0.924·cos θ. Normals are flipped toward the viewer first,
/// as Open3D's shader does, so their sign does not matter.
public struct Shading: Sendable, Equatable {
    public var color: Float
    public var ambient: Float
    public var diffuse: Float
    public var background: Float

    public init(color: Float = 0.7, ambient: Float = 0, diffuse: Float = 1.32, background: Float = 1) {
        self.color = color
        self.ambient = ambient
        self.diffuse = diffuse
        self.background = background
    }

    /// The grey level of a point with normal `n` at `p`, lit from `light`, seen from `eye`.
    /// A zero or non-finite normal is lit as if it faced the light.
    @inlinable
    public func value(normal n: SIMD3<Float>, at p: SIMD3<Float>, light: SIMD3<Float>, eye: SIMD3<Float>) -> Float {
        let toLight = light - p
        let facing: Float = (n * (eye - p)).sum() < 0 ? -1 : 1
        let nl = facing * (n * toLight).sum()
        let norms = ((n * n).sum() * (toLight * toLight).sum()).squareRoot()
        let cosine: Float = norms > 0 && norms.isFinite ? max(0, min(1, nl / norms)) : 1
        return min(1, max(0, color * (ambient + diffuse * cosine)))
    }
}
