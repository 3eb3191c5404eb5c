/// Elementwise kernels. All operate in place on the receiver's storage unless they return a new
/// tensor; all are plain loops that LLVM vectorises (with `-target-cpu haswell`).
extension Tensor {
    /// self += other (same shape).
    public func add(_ other: Tensor) throws {
        guard other.count == count else { throw TensorError.shapeMismatch(operation: "add", shapes: [shape, other.shape]) }
        let a = pointer, b = other.pointer
        Parallel.forChunks(count) { r in for i in r { a[i] += b[i] } }
    }

    /// self += alpha · other (same shape).
    public func add(_ other: Tensor, scaledBy alpha: Float) throws {
        guard other.count == count else { throw TensorError.shapeMismatch(operation: "add", shapes: [shape, other.shape]) }
        let a = pointer, b = other.pointer
        Parallel.forChunks(count) { r in for i in r { a[i] += alpha * b[i] } }
    }

    /// self *= other (same shape).
    public func multiply(_ other: Tensor) throws {
        guard other.count == count else { throw TensorError.shapeMismatch(operation: "multiply", shapes: [shape, other.shape]) }
        let a = pointer, b = other.pointer
        Parallel.forChunks(count) { r in for i in r { a[i] *= b[i] } }
    }

    /// self *= value.
    public func scale(by value: Float) {
        let a = pointer
        Parallel.forChunks(count) { r in for i in r { a[i] *= value } }
    }

    /// Adds `vector` to every row (broadcast along rows): self[r, :] += vector.
    public func addRowVector(_ vector: Tensor) throws {
        let cols = vector.count
        guard rank >= 1, shape.last == cols else { throw TensorError.shapeMismatch(operation: "add row vector", shapes: [shape, vector.shape]) }
        let rows = count / max(cols, 1), a = pointer, v = vector.pointer
        Parallel.forChunks(rows, costPerItem: cols) { r in
            for row in r { let p = a + row * cols; for j in 0..<cols { p[j] += v[j] } }
        }
    }

    /// Multiplies every row by `vector` elementwise: self[r, :] *= vector.
    public func multiplyRowVector(_ vector: Tensor) throws {
        let cols = vector.count
        guard rank >= 1, shape.last == cols else { throw TensorError.shapeMismatch(operation: "multiply row vector", shapes: [shape, vector.shape]) }
        let rows = count / max(cols, 1), a = pointer, v = vector.pointer
        Parallel.forChunks(rows, costPerItem: cols) { r in
            for row in r { let p = a + row * cols; for j in 0..<cols { p[j] *= v[j] } }
        }
    }

    /// Sum of all elements, accumulated in double.
    public func sum() -> Double {
        var s = 0.0
        let p = pointer
        for i in 0..<count { s += Double(p[i]) }
        return s
    }
}
