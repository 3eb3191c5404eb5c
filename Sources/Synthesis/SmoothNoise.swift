/// Smooth, deterministic 3-D value noise for surface texture (fine bumps, grain, colour mottling).
///
/// Lattice values come from hashing the integer cell corners with the seed, so the field is the same
/// on every machine; they are blended with a quintic fade. `fractal` sums octaves (fBm).
public struct SmoothNoise: Sendable {
    public let seed: UInt64

    public init(seed: UInt64) { self.seed = seed }

    /// Noise in [-1, 1] at `point` (one lattice cell per unit).
    public func value(at point: SIMD3<Float>) -> Float {
        let floorPoint = point.rounded(.down)
        let f = point - floorPoint
        let cell = SIMD3<Int64>(Int64(floorPoint.x), Int64(floorPoint.y), Int64(floorPoint.z))
        let w = f * f * f * (f * (f * 6 - 15) + 10)
        let c000 = lattice(cell.x, cell.y, cell.z), c100 = lattice(cell.x &+ 1, cell.y, cell.z)
        let c010 = lattice(cell.x, cell.y &+ 1, cell.z), c110 = lattice(cell.x &+ 1, cell.y &+ 1, cell.z)
        let c001 = lattice(cell.x, cell.y, cell.z &+ 1), c101 = lattice(cell.x &+ 1, cell.y, cell.z &+ 1)
        let c011 = lattice(cell.x, cell.y &+ 1, cell.z &+ 1), c111 = lattice(cell.x &+ 1, cell.y &+ 1, cell.z &+ 1)
        let x00 = c000 + (c100 - c000) * w.x
        let x10 = c010 + (c110 - c010) * w.x
        let x01 = c001 + (c101 - c001) * w.x
        let x11 = c011 + (c111 - c011) * w.x
        let y0 = x00 + (x10 - x00) * w.y
        let y1 = x01 + (x11 - x01) * w.y
        return y0 + (y1 - y0) * w.z
    }

    /// Sum of `octaves` octaves, each at double frequency and `gain` times the amplitude,
    /// normalised so the result stays within [-1, 1].
    public func fractal(at point: SIMD3<Float>, octaves: Int, gain: Float = 0.5) -> Float {
        var sum: Float = 0, amplitude: Float = 1, total: Float = 0
        var p = point
        for octave in 0..<octaves {
            sum += amplitude * SmoothNoise(seed: seed &+ UInt64(octave)).value(at: p)
            total += amplitude
            amplitude *= gain
            p *= 2
        }
        return sum / total
    }

    /// A pseudo-random value in [-1, 1) for one lattice corner.
    @inline(__always)
    private func lattice(_ x: Int64, _ y: Int64, _ z: Int64) -> Float {
        var h = SeedDerivation.mix(seed ^ UInt64(bitPattern: x))
        h = SeedDerivation.mix(h ^ UInt64(bitPattern: y))
        h = SeedDerivation.mix(h ^ UInt64(bitPattern: z))
        return Float(h >> 40) * (2.0 / 16_777_216.0) - 1
    }
}
