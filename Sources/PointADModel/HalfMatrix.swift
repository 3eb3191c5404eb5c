/// A row-major `rows × cols` matrix of half-precision floats that owns its (uninitialised) memory.
public final class HalfMatrix: @unchecked Sendable {
    public let rows: Int
    public let cols: Int
    public let pointer: UnsafeMutablePointer<Float16>

    public init(rows: Int, cols: Int) {
        self.rows = rows
        self.cols = cols
        pointer = .allocate(capacity: max(rows * cols, 1))
    }

    deinit { pointer.deallocate() }
}
