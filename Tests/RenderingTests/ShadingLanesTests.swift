import Testing
@testable import Rendering

/// The eight-lane shading must give the scalar formula's exact bits (renders are compared with
/// Open3D's pixel for pixel, so a last-bit change could move a grey level across a rounding edge).
@Suite struct ShadingLanesTests {
    /// Random normals and points around the lights, with the degenerate cases mixed in: zero and
    /// non-finite normals, points on the eye and on a light, normals facing away from the eye.
    static func cases(_ count: Int) -> [(normal: SIMD3<Float>, point: SIMD3<Float>)] {
        var state: UInt64 = 7
        func uniform() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24) * 2 - 1
        }
        var cases = (0..<count).map { _ in (normal: SIMD3(uniform(), uniform(), uniform()), point: SIMD3(uniform(), uniform(), uniform()) * 0.5) }
        cases[3].normal = .zero
        cases[5].normal = SIMD3(.nan, 0, 1)
        cases[9].normal = SIMD3(.infinity, 1, 0)
        cases[12].point = eye
        cases[14].point = front
        cases[17].point = back
        cases[20].normal = SIMD3(0, 0, -1)
        return cases
    }

    static let eye = SIMD3<Float>(0.1, -0.2, 3), front = SIMD3<Float>(0.1, -0.2, 2.5), back = SIMD3<Float>(-0.1, 0.2, -2.5)

    @Test(arguments: [Shading(), Shading.headLight, Shading(ambient: 0.1, specular: 0.5, frontLights: 1, backLights: 3)])
    func lanesGiveTheScalarBits(shading: Shading) {
        #expect(shading.hasLanes)
        let cases = Self.cases(8 * 64)
        var differing = 0, lit = 0
        for block in stride(from: 0, to: cases.count, by: 8) {
            var n = Lanes3(.zero), p = Lanes3(.zero)
            for k in 0..<8 {
                let c = cases[block + k]
                n.x[k] = c.normal.x; n.y[k] = c.normal.y; n.z[k] = c.normal.z
                p.x[k] = c.point.x; p.y[k] = c.point.y; p.z[k] = c.point.z
            }
            let lanes = shading.values(normal: n, at: p, front: Self.front, back: Self.back, eye: Self.eye)
            for k in 0..<8 {
                let c = cases[block + k]
                let scalar = shading.value(normal: c.normal, at: c.point, front: Self.front, back: Self.back, eye: Self.eye)
                if lanes[k] != scalar { differing += 1 }
                if scalar > 0 && scalar < 1 { lit += 1 }
            }
        }
        #expect(differing == 0, "\(differing) of \(cases.count) shades differ from the scalar formula")
        // The cases exercise the unclamped range, not just the clamps.
        #expect(lit > cases.count / 2)
    }

    @Test func otherExponentsHaveNoLanes() {
        #expect(!Shading(shininess: 20).hasLanes)
    }
}
