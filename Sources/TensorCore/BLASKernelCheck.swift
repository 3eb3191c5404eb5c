import COpenBLAS
import Foundation

/// Whether OpenBLAS runs a matrix kernel far narrower than the processor's vectors, and what to
/// tell the user. An OpenBLAS older than the processor does not recognise it and falls back to an
/// old core (Debian's 0.3.21 runs its SSE3 `Prescott` kernel on family 6 model 207, an AVX-512
/// Xeon), and sgemm, nearly all of a CLIP pass, then runs several times slower. pointad leaves
/// `OPENBLAS_CORETYPE` alone (it belongs to the machine's owner), so it only says so.
public struct BLASKernelCheck: Sendable, Equatable {
    /// `openblas_get_corename()`: "Prescott", "Haswell", "SkylakeX" (dynamic builds) or the
    /// upper-case target of a fixed build ("HASWELL").
    public var coreName: String
    /// `openblas_get_config()`: says whether the build is `DYNAMIC_ARCH` (only then does
    /// `OPENBLAS_CORETYPE` choose the kernel).
    public var buildConfig: String
    public var cpu: CPUVectorFeatures
    /// `OPENBLAS_CORETYPE` as the environment sets it, nil when unset.
    public var coreTypeVariable: String?

    public init(coreName: String, buildConfig: String, cpu: CPUVectorFeatures, coreTypeVariable: String? = nil) {
        self.coreName = coreName
        self.buildConfig = buildConfig
        self.cpu = cpu
        self.coreTypeVariable = coreTypeVariable
    }

    /// This process's OpenBLAS, processor and environment.
    public static func current() -> BLASKernelCheck {
        BLASKernelCheck(coreName: String(cString: openblas_get_corename()), buildConfig: String(cString: openblas_get_config()),
                        cpu: .current, coreTypeVariable: ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"])
    }

    /// OpenBLAS's x86-64 cores by the vectors their sgemm kernels use; nil for a name not listed
    /// (another architecture, a newer core), which is never warned about.
    public static func kernelWidth(ofCore name: String) -> VectorWidth? {
        switch name.lowercased() {
        case "generic", "unknown": .scalar
        case "katmai", "coppermine", "northwood", "prescott", "banias", "atom", "core2", "penryn", "dunnington", "nehalem",
             "athlon", "opteron", "opteron_sse3", "barcelona", "bobcat", "nano":
            .sse
        case "sandybridge", "bulldozer", "piledriver", "steamroller": .avx
        case "haswell", "zen", "excavator": .avx2
        case "skylakex", "cooperlake", "sapphirerapids": .avx512
        default: nil
        }
    }

    /// The width of the running kernel, when the core is known.
    public var kernelWidth: VectorWidth? { Self.kernelWidth(ofCore: coreName) }

    /// True when the kernel is two or more steps below the processor's widest vectors (SSE on an
    /// AVX2 or AVX-512 processor, AVX without FMA on AVX-512). One step (Haswell's AVX2 kernel on
    /// an AVX-512 processor) costs little and is what some machines choose on purpose.
    public var isFarBelowProcessor: Bool {
        guard let kernel = kernelWidth else { return false }
        return cpu.widest.rawValue - kernel.rawValue >= 2
    }

    /// The core to name in the fix: the best kernel for the processor's widest vectors.
    public var suggestedCore: String {
        switch cpu.widest {
        case .avx512: "SkylakeX"
        case .avx2: "Haswell"
        default: "Sandybridge"
        }
    }

    /// "OpenBLAS 0.3.21" from the build configuration ("OpenBLAS" when it says nothing).
    var version: String {
        let words = buildConfig.split(separator: " ")
        return words.count >= 2 && words[0] == "OpenBLAS" ? "OpenBLAS \(words[1])" : "OpenBLAS"
    }

    /// The warning to print, or nil when the kernel suits the processor (or cannot be judged).
    public var warning: String? {
        guard isFarBelowProcessor, let kernel = kernelWidth else { return nil }
        let processor = cpu.signature.map { "this processor (\($0), \(cpu.widest.label))" } ?? "this processor (\(cpu.widest.label))"
        let cause = coreTypeVariable.map { "OPENBLAS_CORETYPE=\($0) is set in the environment" }
            ?? "this \(version) does not recognise the processor and fell back"
        let alternative = cpu.widest == .avx512 ? " (or Haswell)" : ""
        let fix = buildConfig.uppercased().contains("DYNAMIC_ARCH")
            ? "run with OPENBLAS_CORETYPE=\(suggestedCore)\(alternative), or install a newer OpenBLAS that knows the processor"
            : "install an OpenBLAS built for this processor or with DYNAMIC_ARCH (this build ignores OPENBLAS_CORETYPE)"
        return "warning: OpenBLAS runs its \(coreName) kernel (\(kernel.label)) on \(processor): \(cause), so matrix products, "
            + "nearly all of a CLIP pass, run several times slower than the processor allows. Fix: \(fix). "
            + "pointad does not change this setting itself."
    }
}
