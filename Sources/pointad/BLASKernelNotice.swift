import Foundation
import TensorCore

/// Prints the OpenBLAS fallback-kernel warning on stderr, when there is one (score, eval, train
/// call it once before their progress; `pointad info` shows it among the machine's details).
func printBLASKernelWarning() {
    guard let warning = BLASKernelCheck.current().warning else { return }
    FileHandle.standardError.write(Data((warning + "\n").utf8))
}
