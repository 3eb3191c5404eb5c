/// An error about a file the user gave or asked for: always names the file and the problem,
/// so the CLI can print it as is ("file.ply: vertex 12: expected 3 values, found 2").
public struct FileError: Error, CustomStringConvertible, Equatable, Sendable {
    public let path: String
    public let problem: String

    public init(_ path: String, _ problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}

/// An error in what the user asked for (options, shapes, settings), not tied to one file.
public struct UsageError: Error, CustomStringConvertible, Equatable, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
