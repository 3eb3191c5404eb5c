/// Errors from tensor operations; each names the operation and the shapes involved.
public enum TensorError: Error, CustomStringConvertible, Equatable, Sendable {
    case shapeMismatch(operation: String, shapes: [[Int]])
    case outOfBounds(String)
    case invalidArgument(String)

    public var description: String {
        switch self {
        case let .shapeMismatch(operation, shapes):
            return "\(operation): incompatible shapes " + shapes.map { "[" + $0.map(String.init).joined(separator: ", ") + "]" }.joined(separator: " and ")
        case let .outOfBounds(message): return "out of bounds: \(message)"
        case let .invalidArgument(message): return "invalid argument: \(message)"
        }
    }
}
