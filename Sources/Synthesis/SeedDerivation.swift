/// Derives independent seeds for each part of a synthetic dataset from the one `--seed`, so every
/// class and sample can be generated on its own (in any order, on any thread) and still come out
/// byte-identical for the same seed.
public enum SeedDerivation {
    /// A well-mixed seed for the path `(seed, parts...)`: SplitMix64's finaliser applied per part.
    public static func derive(_ seed: UInt64, _ parts: UInt64...) -> UInt64 {
        var state = mix(seed ^ 0x5EED_5EED_5EED_5EED)
        for part in parts { state = mix(state ^ mix(part &+ 0x9E37_79B9_7F4A_7C15)) }
        return state
    }

    /// The SplitMix64 output function: a bijection on UInt64 with good avalanche.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
