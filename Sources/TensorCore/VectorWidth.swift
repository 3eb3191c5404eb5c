/// How wide the vector arithmetic of a processor, or of a kernel built for one, is. Ordered, so a
/// kernel can be compared with the processor it runs on.
public enum VectorWidth: Int, Comparable, Sendable, CaseIterable {
    /// Plain C loops (OpenBLAS's `generic` core).
    case scalar
    /// SSE2/SSE3, 128 bits, no FMA (Prescott, Core2, Nehalem, … kernels).
    case sse
    /// AVX, 256 bits, no FMA3 in the kernels (Sandybridge, Bulldozer).
    case avx
    /// AVX2 with FMA, 256 bits (Haswell, Zen).
    case avx2
    /// AVX-512, 512 bits (SkylakeX, Cooperlake, SapphireRapids).
    case avx512

    public static func < (a: VectorWidth, b: VectorWidth) -> Bool { a.rawValue < b.rawValue }

    /// For messages: "SSE (128-bit)".
    public var label: String {
        switch self {
        case .scalar: "scalar C"
        case .sse: "SSE (128-bit)"
        case .avx: "AVX (256-bit, no FMA)"
        case .avx2: "AVX2+FMA (256-bit)"
        case .avx512: "AVX-512"
        }
    }
}
