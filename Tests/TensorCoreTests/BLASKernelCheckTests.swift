import Foundation
import Testing
import TensorCore

/// The fallback-kernel warning over (core name, processor flags) cases: it fires only when the
/// OpenBLAS kernel is far narrower than the processor's vectors, and names the right fix.
@Suite("OpenBLAS fallback-kernel warning")
struct BLASKernelCheckTests {
    static let dynamicBuild = "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Prescott MAX_THREADS=64"
    static let avx512 = CPUVectorFeatures(avx: true, fma: true, avx2: true, avx512: true, family: 6, model: 207)
    static let avx2 = CPUVectorFeatures(avx: true, fma: true, avx2: true, family: 23, model: 49)
    static let avxOnly = CPUVectorFeatures(avx: true, family: 6, model: 42)

    @Test("Debian's Prescott fallback on an AVX-512 Xeon: warned, with SkylakeX or Haswell as the fix")
    func prescottOnAVX512() throws {
        let check = BLASKernelCheck(coreName: "Prescott", buildConfig: Self.dynamicBuild, cpu: Self.avx512)
        let warning = try #require(check.warning)
        #expect(warning.contains("Prescott kernel (SSE (128-bit))"))
        #expect(warning.contains("family 6 model 207"))
        #expect(warning.contains("does not recognise the processor"))
        #expect(warning.contains("OPENBLAS_CORETYPE=SkylakeX (or Haswell)"))
        #expect(warning.contains("newer OpenBLAS"))
    }

    @Test("SSE-class cores on an AVX2 processor: warned, Haswell named", arguments: ["Core2", "Nehalem", "Katmai", "Penryn", "Atom", "Barcelona"])
    func sseCoresOnAVX2(_ core: String) throws {
        let warning = try #require(BLASKernelCheck(coreName: core, buildConfig: Self.dynamicBuild, cpu: Self.avx2).warning)
        #expect(warning.contains("OPENBLAS_CORETYPE=Haswell,"))
        #expect(!warning.contains("SkylakeX"))
    }

    @Test("kernels that suit the processor, or are one step below it, are not warned about",
          arguments: [("SkylakeX", avx512), ("Haswell", avx512), ("Zen", avx512), ("Cooperlake", avx512), ("Haswell", avx2), ("Zen", avx2),
                      ("Sandybridge", avx2), ("Nehalem", avxOnly), ("Sandybridge", avxOnly)])
    func suitableKernels(_ core: String, _ cpu: CPUVectorFeatures) {
        #expect(BLASKernelCheck(coreName: core, buildConfig: Self.dynamicBuild, cpu: cpu).warning == nil)
    }

    @Test("AVX without FMA (Sandybridge) on AVX-512 is two steps down: warned")
    func sandybridgeOnAVX512() {
        #expect(BLASKernelCheck(coreName: "Sandybridge", buildConfig: Self.dynamicBuild, cpu: Self.avx512).isFarBelowProcessor)
    }

    @Test("a fixed (non-DYNAMIC_ARCH) build's upper-case core name: warned, and OPENBLAS_CORETYPE is not offered as the fix")
    func fixedBuild() throws {
        let check = BLASKernelCheck(coreName: "PRESCOTT", buildConfig: "OpenBLAS 0.3.21 NO_AFFINITY PRESCOTT MAX_THREADS=64", cpu: Self.avx512)
        let warning = try #require(check.warning)
        #expect(warning.contains("ignores OPENBLAS_CORETYPE"))
        #expect(!warning.contains("run with OPENBLAS_CORETYPE"))
    }

    @Test("a core chosen through OPENBLAS_CORETYPE is named as the cause")
    func chosenByEnvironment() throws {
        let check = BLASKernelCheck(coreName: "Core2", buildConfig: Self.dynamicBuild, cpu: Self.avx512, coreTypeVariable: "Core2")
        let warning = try #require(check.warning)
        #expect(warning.contains("OPENBLAS_CORETYPE=Core2 is set in the environment"))
        #expect(!warning.contains("does not recognise"))
    }

    @Test("unknown cores (other architectures, newer names) and processors without cpuid are never warned about",
          arguments: [("ARMV8", avx512), ("NEOVERSEN1", avx2), ("SomeFutureLake", avx512), ("Prescott", CPUVectorFeatures())])
    func cannotJudge(_ core: String, _ cpu: CPUVectorFeatures) {
        #expect(BLASKernelCheck(coreName: core, buildConfig: Self.dynamicBuild, cpu: cpu).warning == nil)
    }

    @Test("the generic C kernel on an AVX2 processor is warned about")
    func genericKernel() {
        #expect(BLASKernelCheck(coreName: "generic", buildConfig: "OpenBLAS 0.3.21 DYNAMIC_ARCH", cpu: Self.avx2).warning != nil)
    }

    @Test("widest vectors: AVX2 counts only with FMA; no cpuid means scalar")
    func widest() {
        #expect(CPUVectorFeatures(avx: true, avx2: true, family: 6, model: 1).widest == .avx)
        #expect(Self.avx2.widest == .avx2)
        #expect(Self.avx512.widest == .avx512)
        #expect(CPUVectorFeatures(family: 6, model: 15).widest == .sse)
        #expect(CPUVectorFeatures().widest == .scalar)
    }

    @Test("this machine's cpuid reading agrees with /proc/cpuinfo")
    func currentMatchesProcCPUInfo() throws {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return }
        #if arch(x86_64)
        func field(_ name: String) -> String? {
            info.split(separator: "\n").first { $0.hasPrefix(name) && $0.dropFirst(name.count).trimmingCharacters(in: .whitespaces).hasPrefix(":") }
                .flatMap { $0.split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces) }
        }
        let flags = Set((field("flags") ?? "").split(separator: " ").map(String.init))
        let cpu = CPUVectorFeatures.current
        #expect(cpu.avx == flags.contains("avx"))
        #expect(cpu.fma == flags.contains("fma"))
        #expect(cpu.avx2 == flags.contains("avx2"))
        #expect(cpu.avx512 == flags.contains("avx512f"))
        #expect(String(cpu.family) == field("cpu family"))
        #expect(String(cpu.model) == field("model"))
        #endif
    }
}
