import Foundation
import PointADSupport

/// Which vision blocks' patch tokens the rendering layer scores (averaged over the chosen blocks).
///
/// The paper's numbers come from the last block alone: until 2025-05 the authors' code stored a
/// reference instead of a copy, so the four "layers 6, 12, 18, 24" it saved were all layer 24 of
/// the value–value (DPAM) path (dossier §4.3). `.paper` reproduces that and is the default;
/// `.quarters` is what the code meant to do (and does since the fix).
public enum LayerSelection: Sendable, Equatable, Codable {
    /// The last block only (24 of ViT-L/14): the published results.
    case paper
    /// Blocks depth/4, depth/2, 3·depth/4 and depth (6, 12, 18, 24 of ViT-L/14).
    case quarters
    /// Explicit 1-based blocks.
    case blocks([Int])

    /// The 1-based blocks for a vision tower of `depth` blocks.
    public func blocks(depth: Int) throws -> [Int] {
        let chosen: [Int]
        switch self {
        case .paper: chosen = [depth]
        case .quarters: chosen = Array(Set([depth / 4, depth / 2, 3 * depth / 4, depth].filter { $0 >= 1 })).sorted()
        case let .blocks(list): chosen = list
        }
        guard !chosen.isEmpty, chosen.allSatisfy({ (1...depth).contains($0) }) else {
            throw UsageError("vision layers \(chosen) are out of range for a \(depth)-block vision transformer (1…\(depth))")
        }
        return chosen
    }

    /// Parses "paper", "quarters" or a comma-separated list of blocks ("6,12,18,24").
    public init(parsing text: String) throws {
        switch text.lowercased() {
        case "paper", "last": self = .paper
        case "quarters", "fixed", "four": self = .quarters
        default:
            let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else {
                throw UsageError("vision layers: expected 'paper', 'quarters' or a list like 6,12,18,24, got '\(text)'")
            }
            self = .blocks(parts.map { $0! })
        }
    }

    /// The authors' DPAM setting D for a tower of `depth` blocks: D = 20 of 24 for ViT-L/14 (the
    /// value–value path runs in blocks 6…24), scaled to other depths and kept in 2…depth+1.
    public static func defaultDPAMLayer(depth: Int) -> Int {
        min(max(Int((Double(depth) * 20 / 24).rounded()), 2), depth + 1)
    }
}
