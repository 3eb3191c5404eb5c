import CKernels

/// The vector extensions the processor (and the operating system) supports, from cpuid, and the
/// processor's family and model: what OpenBLAS's own detection looks at.
public struct CPUVectorFeatures: Sendable, Equatable {
    public var avx: Bool
    public var fma: Bool
    public var avx2: Bool
    public var avx512: Bool
    /// cpuid's display family and model (0 where unknown or not x86-64).
    public var family: Int
    public var model: Int

    public init(avx: Bool = false, fma: Bool = false, avx2: Bool = false, avx512: Bool = false, family: Int = 0, model: Int = 0) {
        self.avx = avx
        self.fma = fma
        self.avx2 = avx2
        self.avx512 = avx512
        self.family = family
        self.model = model
    }

    /// This machine's.
    public static let current: CPUVectorFeatures = {
        let flags = pointad_cpu_vector_flags()
        var family: Int32 = 0, model: Int32 = 0
        pointad_cpu_signature(&family, &model)
        return CPUVectorFeatures(avx: flags & POINTAD_CPU_AVX != 0, fma: flags & POINTAD_CPU_FMA != 0,
                                 avx2: flags & POINTAD_CPU_AVX2 != 0, avx512: flags & POINTAD_CPU_AVX512F != 0,
                                 family: Int(family), model: Int(model))
    }()

    /// The widest vectors a kernel could use here. Without cpuid (another architecture) this says
    /// `.scalar`, which no kernel falls below.
    public var widest: VectorWidth {
        if avx512 { return .avx512 }
        if avx2 && fma { return .avx2 }
        if avx { return .avx }
        return family == 0 ? .scalar : .sse
    }

    /// "family 6 model 207", or nil when cpuid gave nothing.
    public var signature: String? { family == 0 ? nil : "family \(family) model \(model)" }
}
