import CKernels

/// Multi-head scaled dot-product attention over a batch of sequences, reading the heads in place
/// from row-major [sequences·length, heads·headSize] buffers (the layout of a linear layer's
/// output), so no head is ever copied.
public enum Attention {
    /// For every sequence b and head h, with rows i, j of that sequence and the head's columns:
    ///   P[b,h,i,:] = softmax_j(scale · q_i · k_j)  (j ≤ i only when `causal`; masked entries are 0)
    ///   output_i   = Σ_j P[b,h,i,j] · v_j
    ///
    /// `probabilities`, when given, receives P as [sequences, heads, length, length] (for a backward
    /// pass); otherwise one length × length scratch matrix is reused.
    public static func multiHead(query: MatrixView, key: MatrixView, value: MatrixView, into output: MatrixView,
                                 sequences: Int, length: Int, heads: Int, scale: Float, causal: Bool = false,
                                 probabilities: UnsafeMutablePointer<Float>? = nil) throws {
        let width = query.cols
        guard heads > 0, width % heads == 0, key.cols == width, value.cols == width, output.cols == width else {
            throw TensorError.shapeMismatch(operation: "attention (\(heads) heads)", shapes: [[query.rows, query.cols], [key.rows, key.cols], [value.rows, value.cols], [output.rows, output.cols]])
        }
        let rows = sequences * length
        guard query.rows == rows, key.rows == rows, value.rows == rows, output.rows == rows else {
            throw TensorError.shapeMismatch(operation: "attention over \(sequences)×\(length) rows", shapes: [[query.rows, query.cols], [key.rows, key.cols], [value.rows, value.cols], [output.rows, output.cols]])
        }
        if rows == 0 { return }
        let headSize = width / heads
        let items = sequences * heads
        let q = query, k = key, v = value, o = output
        if !causal && probabilities == nil && headSize % 16 == 0 {
            fusedHeads(q, k, v, o, items: items, heads: heads, length: length, headSize: headSize, scale: scale)
            return
        }
        let scratch: Tensor? = probabilities == nil ? Tensor(zeros: [length, length]) : nil
        // One (sequence, head) at a time with multi-threaded sgemm; the softmax rows in parallel.
        // Splitting heads over workers with BLAS at one thread lost here: OpenBLAS's threads keep
        // spinning after each call and take the core a second worker needs.
        for item in 0..<items {
            let b = item / heads, h = item % heads
            let s = probabilities.map { $0 + item * length * length } ?? scratch!.pointer
            let column = h * headSize, row = b * length
            let sm = MatrixView(s, rows: length, cols: length)
            try gemm(MatrixView(q.pointer + row * q.ld + column, rows: length, cols: headSize, ld: q.ld),
                     MatrixView(k.pointer + row * k.ld + column, rows: length, cols: headSize, ld: k.ld), transposeB: true,
                     into: sm, alpha: scale)
            Parallel.forChunks(length, costPerItem: length * 8) { rows in
                for i in rows { softmaxRow(s + i * length, valid: causal ? i + 1 : length, count: length) }
            }
            try gemm(sm, MatrixView(v.pointer + row * v.ld + column, rows: length, cols: headSize, ld: v.ld),
                     into: MatrixView(o.pointer + row * o.ld + column, rows: length, cols: headSize, ld: o.ld))
        }
    }

    /// Unmasked heads through the fused C kernel (`CKernels`, AVX-512 or AVX2 chosen at run time):
    /// scores, softmax and the weighted sum of values per block of query rows, so no length ×
    /// length matrix is written out and no sgemm of inner size 64 runs. The (sequence, head) pairs
    /// are spread over the workers; OpenBLAS is not called here, so its threads have nothing to
    /// contend for.
    static func fusedHeads(_ q: MatrixView, _ k: MatrixView, _ v: MatrixView, _ o: MatrixView,
                           items: Int, heads: Int, length: Int, headSize: Int, scale: Float) {
        let scratchCount = pointad_attention_scratch_floats(length, headSize)
        Parallel.forChunks(items, costPerItem: 4 * length * length * headSize) { range in
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: scratchCount)
            defer { scratch.deallocate() }
            for item in range {
                let b = item / heads, h = item % heads
                let row = b * length, column = h * headSize
                pointad_attention_head(q.pointer + row * q.ld + column, q.ld, k.pointer + row * k.ld + column, k.ld,
                                       v.pointer + row * v.ld + column, v.ld, o.pointer + row * o.ld + column, o.ld,
                                       length, headSize, scale, scratch)
            }
        }
    }

    /// Softmax of the first `valid` entries of a row in place; entries from `valid` to `count` are
    /// set to 0 (masked). The reductions go through `Reduce` (strict-order loops do not vectorise).
    @inline(__always)
    static func softmaxRow(_ p: UnsafeMutablePointer<Float>, valid: Int, count: Int) {
        let m = Reduce.max(p, valid)
        for j in 0..<valid { p[j] = FastMath.exp(p[j] - m) }
        let inv = 1 / Reduce.sum(p, valid)
        for j in 0..<valid { p[j] *= inv }
        for j in valid..<count { p[j] = 0 }
    }
}
