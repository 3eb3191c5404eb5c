import Foundation
import TensorCore

/// Helpers shared by every test target: fixture lookup and tolerance checks.
public enum TestPaths {
    /// The repository root, found from this file's location.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Fixtures/<relative>` inside the repository.
    public static func fixture(_ relative: String) -> URL {
        repositoryRoot.appendingPathComponent("Fixtures").appendingPathComponent(relative)
    }

    /// A fresh empty temporary directory for one test.
    public static func temporaryDirectory(_ label: String = "pointad-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The built `pointad` executable next to the test bundle (debug or release build folder).
    public static var pointadExecutable: URL {
        let bundle = Bundle.main.bundleURL
        let candidates = [bundle.deletingLastPathComponent().appendingPathComponent("pointad"),
                          bundle.appendingPathComponent("pointad")]
        for c in candidates where FileManager.default.isExecutableFile(atPath: c.path) { return c }
        for config in ["release", "debug"] {
            let c = repositoryRoot.appendingPathComponent(".build/\(config)/pointad")
            if FileManager.default.isExecutableFile(atPath: c.path) { return c }
        }
        return candidates[0]
    }
}

/// Largest relative error max|a−b| / max(max|b|, floor) between two float arrays.
public func maxRelativeError(_ a: [Float], _ b: [Float], floor: Float = 1e-6) -> Float {
    precondition(a.count == b.count, "length \(a.count) vs \(b.count)")
    var diff: Float = 0, scale: Float = floor
    for i in 0..<a.count {
        diff = max(diff, abs(a[i] - b[i]))
        scale = max(scale, abs(b[i]))
    }
    return diff / scale
}

/// Largest absolute difference between two float arrays.
public func maxAbsoluteError(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "length \(a.count) vs \(b.count)")
    var diff: Float = 0
    for i in 0..<a.count { diff = max(diff, abs(a[i] - b[i])) }
    return diff
}

/// Deterministic random floats in [-scale, scale).
public func randomFloats(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
    var rng = SeededRandom(seed: seed)
    return (0..<count).map { _ in (rng.uniform() * 2 - 1) * scale }
}
