import Foundation

/// The processor's model name from /proc/cpuinfo ("unknown" elsewhere), printed beside every
/// rate: a fraction of sgemm measured on one processor and OpenBLAS kernel does not carry over.
func processorName() -> String {
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
    for line in info.split(separator: "\n") where line.hasPrefix("model name") {
        if let colon = line.firstIndex(of: ":") { return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces) }
    }
    return "unknown"
}
