import COpenBLAS
import Foundation

/// What the numbers of this machine depend on — processor, vector extensions, OpenBLAS build and
/// kernel, the C kernels' instruction set, threads — as `pointad info` and the benchmarks print it.
public enum ComputeEnvironment {
    /// The processor's model name from /proc/cpuinfo ("unknown" elsewhere).
    public static func processorName() -> String {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
        for line in info.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") { return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces) }
        }
        return "unknown"
    }

    /// Labelled lines, in print order.
    public static func summary() -> [(label: String, value: String)] {
        let cpu = CPUVectorFeatures.current, blas = BLASKernelCheck.current()
        return [
            ("processor", processorName() + (cpu.signature.map { " (\($0))" } ?? "")),
            ("vectors", cpu.widest.label),
            ("OpenBLAS", blas.buildConfig),
            ("OpenBLAS kernel", blas.coreName + (blas.kernelWidth.map { " (\($0.label))" } ?? "")
                + (blas.coreTypeVariable.map { ", OPENBLAS_CORETYPE=\($0)" } ?? "")),
            ("pointad kernels", KernelDispatch.instructionSet),
            ("threads", String(ComputeThreads.count)),
        ]
    }
}
