/// Owns (or borrows) the float32 memory behind one or more tensors.
///
/// Memory is either allocated here (64-byte aligned, freed on deinit) or borrowed from an owner
/// that keeps it alive, e.g. a memory-mapped safetensors file, so weights are never copied.
public final class TensorStorage: @unchecked Sendable {
    public let base: UnsafeMutablePointer<Float>
    public let count: Int
    private let owner: AnyObject?

    /// Allocates `count` zeroed floats.
    public init(zeroedCount count: Int) {
        precondition(count >= 0, "negative tensor size")
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 4, alignment: 64)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: max(count, 1) * 4)
        base = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        self.count = count
        owner = nil
    }

    /// Borrows memory kept alive by `owner` (never freed here).
    public init(borrowing base: UnsafeMutablePointer<Float>, count: Int, owner: AnyObject) {
        self.base = base
        self.count = count
        self.owner = owner
    }

    deinit {
        if owner == nil { UnsafeMutableRawPointer(base).deallocate() }
    }
}

/// A dense float32 tensor: row-major, contiguous, with a shape.
///
/// `Tensor` is a handle: copies of the value share storage, and writes through `pointer` are seen
/// by every copy (as with a PyTorch tensor). Use `copy()` for an independent tensor. Views made by
/// `reshaped` and `rows` share storage and cost nothing.
public struct Tensor: @unchecked Sendable, CustomStringConvertible {
    public let storage: TensorStorage
    public let offset: Int
    public let shape: [Int]

    /// Number of elements (product of the shape).
    public var count: Int { shape.reduce(1, *) }
    public var rank: Int { shape.count }
    /// First element; valid for `count` floats.
    @inlinable public var pointer: UnsafeMutablePointer<Float> { storage.base + offset }
    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: pointer, count: count) }

    /// A zero-filled tensor.
    public init(zeros shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        let n = shape.reduce(1, *)
        storage = TensorStorage(zeroedCount: n)
        offset = 0
        self.shape = shape
    }

    /// A tensor holding `values` (count must match the shape).
    public init(shape: [Int], values: [Float]) throws {
        let n = shape.reduce(1, *)
        guard shape.allSatisfy({ $0 >= 0 }), n == values.count else {
            throw TensorError.shapeMismatch(operation: "init", shapes: [shape, [values.count]])
        }
        self.init(zeros: shape)
        values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: n) }
    }

    /// A tensor with every element equal to `value`.
    public init(shape: [Int], repeating value: Float) {
        self.init(zeros: shape)
        pointer.update(repeating: value, count: count)
    }

    /// Wraps existing storage (no copy).
    public init(storage: TensorStorage, offset: Int = 0, shape: [Int]) throws {
        let n = shape.reduce(1, *)
        guard shape.allSatisfy({ $0 >= 0 }), offset >= 0, offset + n <= storage.count else {
            throw TensorError.outOfBounds("view of shape \(shape) at offset \(offset) exceeds storage of \(storage.count) elements")
        }
        self.storage = storage
        self.offset = offset
        self.shape = shape
    }

    /// The same elements under another shape (no copy). One dimension may be -1.
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        var resolved = newShape
        if let unknown = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != unknown }.map(\.element).reduce(1, *)
            guard known > 0, count % known == 0 else {
                throw TensorError.shapeMismatch(operation: "reshape", shapes: [shape, newShape])
            }
            resolved[unknown] = count / known
        }
        guard resolved.allSatisfy({ $0 >= 0 }), resolved.reduce(1, *) == count else {
            throw TensorError.shapeMismatch(operation: "reshape", shapes: [shape, newShape])
        }
        return try Tensor(storage: storage, offset: offset, shape: resolved)
    }

    /// Rows `range` along the first dimension (no copy).
    public func rows(_ range: Range<Int>) throws -> Tensor {
        guard rank >= 1, range.lowerBound >= 0, range.upperBound <= shape[0] else {
            throw TensorError.outOfBounds("rows \(range) of a tensor of shape \(shape)")
        }
        let rowSize = shape.dropFirst().reduce(1, *)
        return try Tensor(storage: storage, offset: offset + range.lowerBound * rowSize,
                          shape: [range.count] + shape.dropFirst())
    }

    /// Row `index` along the first dimension, with that dimension dropped (no copy).
    public func row(_ index: Int) throws -> Tensor {
        let r = try rows(index..<(index + 1))
        return try r.reshaped(Array(shape.dropFirst()))
    }

    /// An independent copy.
    public func copy() -> Tensor {
        let t = Tensor(zeros: shape)
        t.pointer.update(from: pointer, count: count)
        return t
    }

    /// The elements as an array (copy).
    public func toArray() -> [Float] { Array(buffer) }

    /// Element at a multi-index (slow path for tests and debugging).
    public subscript(_ index: Int...) -> Float {
        get { pointer[flatIndex(index)] }
        nonmutating set { pointer[flatIndex(index)] = newValue }
    }

    private func flatIndex(_ index: [Int]) -> Int {
        precondition(index.count == rank, "index \(index) for shape \(shape)")
        var flat = 0
        for (i, d) in zip(index, shape) {
            precondition(i >= 0 && i < d, "index \(index) out of bounds for shape \(shape)")
            flat = flat * d + i
        }
        return flat
    }

    public var description: String {
        let preview = buffer.prefix(8).map { String($0) }.joined(separator: ", ")
        return "Tensor\(shape)[\(preview)\(count > 8 ? ", …" : "")]"
    }
}
