import Foundation

/// Real files from other tools, fetched by Scripts/fetch-test-data.sh into .cache/testdata (run
/// by the first test that needs them). Nil, with the reason, when they cannot be obtained.
public enum ThirdPartyFiles {
    public static let root = TestPaths.repositoryRoot.appendingPathComponent(".cache/testdata")

    public static let availability: String? = {
        if FileManager.default.fileExists(atPath: root.appendingPathComponent(".complete-v2").path) { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [TestPaths.repositoryRoot.appendingPathComponent("Scripts/fetch-test-data.sh").path]
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
            process.waitUntilExit()
        } catch {
            return "cannot run Scripts/fetch-test-data.sh: \(error)"
        }
        let message = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return process.terminationStatus == 0 ? nil : "Scripts/fetch-test-data.sh failed (no network to Debian?): \(message)"
    }()

    public static var isAvailable: Bool { availability == nil }

    public static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }
}
