// Small vector helpers for SIMD3<Float> geometry (inlined; no libm).

@inline(__always) func dot(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> Float { (a * b).sum() }

@inline(__always) func cross(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> SIMD3<Float> {
    SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
}

@inline(__always) func length(_ a: SIMD3<Float>) -> Float { dot(a, a).squareRoot() }

@inline(__always) func distance(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> Float { length(a - b) }

@inline(__always) func normalized(_ a: SIMD3<Float>) -> SIMD3<Float> {
    let l = length(a)
    return l > 0 ? a / l : a
}
