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

    /// The built `pointad` executable in the same build folder as the running test binary.
    public static var pointadExecutable: URL {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // The test binary may sit inside a bundle folder (…/pointadPackageTests.xctest/…).
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("pointad")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return repositoryRoot.appendingPathComponent(".build/debug/pointad")
    }
}

/// The result of running the `pointad` executable.
public struct CommandResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// Runs the built `pointad` with `arguments` and captures its output (end-to-end CLI tests).
public func runPointad(_ arguments: [String], environment: [String: String]? = nil, currentDirectory: URL? = nil) throws -> CommandResult {
    let process = Process()
    process.executableURL = TestPaths.pointadExecutable
    process.arguments = arguments
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes before waiting so a chatty child cannot block on a full pipe.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
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
