import COpenBLAS

/// A row-major matrix in memory: `rows × cols` with leading dimension `ld` (distance between
/// consecutive rows, ≥ cols). Lets one attention head's columns of a fused QKV buffer be passed to
/// sgemm without copying.
public struct MatrixView: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let rows: Int
    public let cols: Int
    public let ld: Int

    public init(_ pointer: UnsafeMutablePointer<Float>, rows: Int, cols: Int, ld: Int? = nil) {
        self.pointer = pointer
        self.rows = rows
        self.cols = cols
        self.ld = ld ?? cols
    }

    /// The tensor as a matrix: leading dimensions flattened into rows, the last is columns.
    public init(_ tensor: Tensor) throws {
        guard tensor.rank >= 1 else { throw TensorError.invalidArgument("a scalar is not a matrix") }
        let cols = tensor.shape.last!
        self.init(tensor.pointer, rows: tensor.rank == 1 ? 1 : tensor.count / max(cols, 1), cols: cols)
    }

    var shape: [Int] { [rows, cols] }
}

/// C = alpha · op(A) · op(B) + beta · C through `cblas_sgemm`. Transposes are flags, never copies.
/// Throws naming the shapes when op(A), op(B) and C do not fit.
public func gemm(_ a: MatrixView, transposeA: Bool = false, _ b: MatrixView, transposeB: Bool = false,
                 into c: MatrixView, alpha: Float = 1, beta: Float = 0) throws {
    let m = transposeA ? a.cols : a.rows
    let k = transposeA ? a.rows : a.cols
    let kb = transposeB ? b.cols : b.rows
    let n = transposeB ? b.rows : b.cols
    guard k == kb, c.rows == m, c.cols == n else {
        let opA = transposeA ? [a.cols, a.rows] : a.shape
        let opB = transposeB ? [b.cols, b.rows] : b.shape
        throw TensorError.shapeMismatch(operation: "matmul", shapes: [opA, opB, c.shape])
    }
    guard a.ld >= max(a.cols, 1), b.ld >= max(b.cols, 1), c.ld >= max(c.cols, 1) else {
        throw TensorError.invalidArgument("leading dimension smaller than the row length")
    }
    if m == 0 || n == 0 { return }
    if k == 0 {
        // sgemm with k = 0 only scales C; make that explicit for beta = 0 (C may hold garbage).
        for i in 0..<m { let row = c.pointer + i * c.ld; for j in 0..<n { row[j] = beta == 0 ? 0 : beta * row[j] } }
        return
    }
    cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a.pointer, Int32(a.ld), b.pointer, Int32(b.ld),
                beta, c.pointer, Int32(c.ld))
}

extension Tensor {
    /// Matrix product `op(self) · op(other)`.
    ///
    /// `self` may have rank > 2 when not transposed: its leading dimensions are flattened into rows
    /// and kept in the result's shape (so `[B, T, D] · [D, E]` gives `[B, T, E]`). `other` must be 2-D.
    /// With `into`, writes `alpha·op(A)·op(B) + beta·into` there and returns it.
    public func matmul(_ other: Tensor, transposeSelf: Bool = false, transposeOther: Bool = false,
                       alpha: Float = 1, beta: Float = 0, into output: Tensor? = nil) throws -> Tensor {
        guard rank >= 1, other.rank == 2, !(transposeSelf && rank != 2) else {
            throw TensorError.shapeMismatch(operation: "matmul", shapes: [shape, other.shape])
        }
        let a = try MatrixView(self)
        let b = try MatrixView(other)
        let k = transposeSelf ? a.rows : a.cols
        let kb = transposeOther ? b.cols : b.rows
        guard k == kb else { throw TensorError.shapeMismatch(operation: "matmul", shapes: [shape, other.shape]) }
        let n = transposeOther ? b.rows : b.cols
        let outShape = transposeSelf ? [a.cols, n] : (rank == 1 ? [n] : Array(shape.dropLast()) + [n])
        let c: Tensor
        if let output {
            guard output.shape.reduce(1, *) == outShape.reduce(1, *), output.shape.last == n else {
                throw TensorError.shapeMismatch(operation: "matmul into", shapes: [shape, other.shape, output.shape])
            }
            c = output
        } else {
            c = Tensor(zeros: outShape)
        }
        try gemm(a, transposeA: transposeSelf, b, transposeB: transposeOther,
                 into: MatrixView(c.pointer, rows: c.count / max(n, 1), cols: n), alpha: alpha, beta: beta)
        return c
    }
}

/// Runs `count` independent sgemms (e.g. attention heads), each with the configured BLAS threads.
///
/// Splitting the batch over Dispatch workers with OpenBLAS held at one thread was measured slower
/// here (114 vs 200 GFLOP/s for 16 heads of 577×64·64×577 on 2 cores): OpenBLAS's pthreads keep
/// spinning for a while after a multi-threaded call and take the core a second worker needs.
public func batchedGemm(count: Int, transposeA: Bool = false, transposeB: Bool = false, alpha: Float = 1, beta: Float = 0,
                        _ operands: (Int) -> (a: MatrixView, b: MatrixView, c: MatrixView)) throws {
    for i in 0..<count {
        let (a, b, c) = operands(i)
        do {
            try gemm(a, transposeA: transposeA, b, transposeB: transposeB, into: c, alpha: alpha, beta: beta)
        } catch TensorError.shapeMismatch(let operation, let shapes) {
            throw TensorError.shapeMismatch(operation: "batched \(operation) [\(i)]", shapes: shapes)
        }
    }
}
