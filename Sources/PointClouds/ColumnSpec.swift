import Foundation
import PointADSupport

/// What the columns of a text or .npy point file are, as the user names them with
/// `--columns x,y,z,r,g,b`: `x y z` positions, `nx ny nz` normals, `r g b` colours (0–1 or
/// 0–255), `label` ground truth, `_` a column to skip, any other name a per-point scalar.
public struct ColumnSpec: Sendable, Equatable {
    /// One name per column, in file order ("_" for skipped columns).
    public let names: [String]

    public static let help = "x,y,z positions; nx,ny,nz normals; r,g,b colours; label; _ to skip a column; any other name keeps the column as a scalar"

    public init(parsing text: String) throws {
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for name in names where name != "_" {
            guard let first = name.first, first.isLetter || first == "_", name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw UsageError("--columns: '\(name)' is not a column name (\(Self.help))")
            }
            guard names.filter({ $0 == name }).count == 1 else { throw UsageError("--columns names '\(name)' twice") }
        }
        for axis in ["x", "y", "z"] where !names.contains(axis) {
            throw UsageError("--columns must name x, y and z (got \(text))")
        }
        for group in [["nx", "ny", "nz"], ["r", "g", "b"]] {
            let present = group.filter(names.contains)
            guard present.isEmpty || present.count == 3 else {
                throw UsageError("--columns names \(present.joined(separator: ",")) but not all of \(group.joined(separator: ","))")
            }
        }
        self.names = names
    }
}
