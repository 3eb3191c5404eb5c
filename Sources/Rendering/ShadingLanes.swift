/// Eight points shaded at once: `Shading.value` written over SIMD8 lanes, operation for operation
/// (same order of sums, the same divisions, the same min/max tests), so every lane gets exactly
/// the scalar function's bits. The scalar code is latency-bound (three square roots and nine
/// divisions in a chain per point); eight independent lanes hide that and it was a third of a
/// view's time.
extension Shading {
    /// Whether `values(…)` computes this shading (the default exponent, done by multiplications).
    var hasLanes: Bool { shininess == 100 }

    /// `value(normal:at:front:back:eye:)` for eight points; requires `hasLanes`.
    func values(normal n: Lanes3, at p: Lanes3, front: SIMD3<Float>, back: SIMD3<Float>, eye: SIMD3<Float>) -> SIMD8<Float> {
        let toEye = Lanes3(eye) - p
        let (eyeUnit, eyeValid) = toEye.unit()
        let e = eyeUnit.replacing(with: Lanes3(SIMD3(0, 0, 1)), where: .!eyeValid)
        let (normalUnit, normalValid) = n.unit()
        var m = normalUnit.replacing(with: e, where: .!normalValid)
        m = m.replacing(with: -m, where: m.dot(e) .< 0)
        var sum = SIMD8<Float>(repeating: ambient * color)
        if frontLights > 0 { sum += Float(frontLights) * light(at: front, point: p, normal: m, eye: e) }
        if backLights > 0 { sum += Float(backLights) * light(at: back, point: p, normal: m, eye: e) }
        return Self.clamp(sum)
    }

    private func light(at position: SIMD3<Float>, point p: Lanes3, normal m: Lanes3, eye e: Lanes3) -> SIMD8<Float> {
        let (l, valid) = (Lanes3(position) - p).unit()
        let nl = m.dot(l)
        var value = (color * diffuse) * Self.clampLowLast(nl)
        if specular > 0 {
            let twice = 2 * nl
            let r = Lanes3(x: twice * m.x - l.x, y: twice * m.y - l.y, z: twice * m.z - l.z)
            let x = Self.clampLowLast(e.dot(r))
            let x2 = x * x, x4 = x2 * x2, x8 = x4 * x4, x16 = x8 * x8, x32 = x16 * x16
            value += specular * (x32 * x32 * x32 * x4)
        }
        return value.replacing(with: SIMD8(repeating: color * diffuse), where: .!valid)
    }

    /// `max(0, min(1, x))`, the order `light` clamps in (it differs from `clamp` only for NaN).
    @inline(__always) private static func clampLowLast(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let high = SIMD8<Float>(repeating: 1).replacing(with: x, where: x .< 1)
        return SIMD8<Float>(repeating: 0).replacing(with: high, where: high .>= 0)
    }

    /// `min(1, max(0, x))` with Swift's scalar `max` (`x >= 0 ? x : 0`) and `min` (`x < 1 ? x : 1`).
    @inline(__always) private static func clamp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let low = SIMD8<Float>(repeating: 0).replacing(with: x, where: x .>= 0)
        return SIMD8<Float>(repeating: 1).replacing(with: low, where: low .< 1)
    }
}

/// Eight 3-vectors, one coordinate per SIMD8.
struct Lanes3 {
    var x: SIMD8<Float>, y: SIMD8<Float>, z: SIMD8<Float>

    init(x: SIMD8<Float>, y: SIMD8<Float>, z: SIMD8<Float>) {
        self.x = x
        self.y = y
        self.z = z
    }

    /// The same vector in every lane.
    init(_ v: SIMD3<Float>) {
        self.init(x: SIMD8(repeating: v.x), y: SIMD8(repeating: v.y), z: SIMD8(repeating: v.z))
    }

    static func - (a: Lanes3, b: Lanes3) -> Lanes3 { Lanes3(x: a.x - b.x, y: a.y - b.y, z: a.z - b.z) }
    static prefix func - (a: Lanes3) -> Lanes3 { Lanes3(x: -a.x, y: -a.y, z: -a.z) }

    /// `(a * b).sum()` of SIMD3: x, then y, then z.
    @inline(__always) func dot(_ b: Lanes3) -> SIMD8<Float> { x * b.x + y * b.y + z * b.z }

    /// `Shading.unit` per lane: the vector over its length, and whether that length was positive and finite.
    @inline(__always) func unit() -> (Lanes3, SIMDMask<SIMD8<Int32>>) {
        let length = dot(self).squareRoot()
        let valid = (length .> 0) .& (length .< .infinity)
        return (Lanes3(x: x / length, y: y / length, z: z / length), valid)
    }

    @inline(__always) func replacing(with other: Lanes3, where mask: SIMDMask<SIMD8<Int32>>) -> Lanes3 {
        Lanes3(x: x.replacing(with: other.x, where: mask), y: y.replacing(with: other.y, where: mask), z: z.replacing(with: other.z, where: mask))
    }
}
