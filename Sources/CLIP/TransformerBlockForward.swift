import TensorCore

/// Intermediate buffers of a transformer block, sized for `rows` tokens and reused by every
/// block of a forward pass (no allocation per layer). The MLP runs over row chunks of at most
/// `mlpChunkRows`, so its 4×-wide hidden activations stay small for batched images.
public final class TransformerWorkspace {
    public let rows: Int
    public let mlpChunkRows: Int
    /// ln1/ln2 output, then the attention output before its projection, [rows, width].
    public let normed: Tensor
    public let query: Tensor
    public let key: Tensor
    public let value: Tensor
    /// MLP hidden activations of one chunk, [mlpChunkRows, intermediate].
    public let hidden: Tensor

    public init(rows: Int, width: Int, intermediate: Int, mlpChunkRows: Int = 2048) {
        self.rows = rows
        // Equal chunks (e.g. 9 × 577 rows → 3 × 1731) rather than a large one and a remainder.
        let chunks = max(1, (rows + mlpChunkRows - 1) / max(mlpChunkRows, 1))
        self.mlpChunkRows = max(1, (rows + chunks - 1) / chunks)
        normed = Tensor(zeros: [rows, width])
        query = Tensor(zeros: [rows, width])
        key = Tensor(zeros: [rows, width])
        value = Tensor(zeros: [rows, width])
        hidden = Tensor(zeros: [self.mlpChunkRows, intermediate])
    }
}

extension TransformerLayerWeights {
    /// Runs the block in place on `x` ([sequences·length, width], sequences stacked by rows):
    ///   a = ln1(x);  x += out(MHA(q(a), k(a), v(a)));  x += fc2(act(fc1(ln2(x)))).
    ///
    /// `valuePath` (DPAM, AnomalyCLIP's dual path): when given, it is also updated with the
    /// value–value attention of the same block, `valuePath += out(MHA(v(a), v(a), v(a)))`, with
    /// `a` read from `x` (the original path) and no MLP, as in the authors' code.
    public func forward(_ x: Tensor, sequences: Int, length: Int, heads: Int, activation: Activation, causal: Bool,
                        workspace w: TransformerWorkspace, valuePath: Tensor? = nil) throws {
        let rows = sequences * length
        guard x.count == rows * width, w.rows >= rows else {
            throw TensorError.shapeMismatch(operation: "transformer block", shapes: [x.shape, [rows, width]])
        }
        let view = { (t: Tensor, cols: Int) in MatrixView(t.pointer, rows: rows, cols: cols) }
        let xm = view(x, width), a = try w.normed.rows(0..<rows)
        try layerNorm1.apply(try x.reshaped([rows, width]), into: a)
        try query.apply(view(a, width), into: view(w.query, width))
        try key.apply(view(a, width), into: view(w.key, width))
        try value.apply(view(a, width), into: view(w.value, width))
        let scale = 1 / Float(width / heads).squareRoot()
        // ln1's output is consumed: the attention output goes into the same buffer.
        let context = view(a, width)
        try Attention.multiHead(query: view(w.query, width), key: view(w.key, width), value: view(w.value, width),
                                into: context, sequences: sequences, length: length, heads: heads,
                                scale: scale, causal: causal)
        if let valuePath {
            guard valuePath.count == rows * width else {
                throw TensorError.shapeMismatch(operation: "value-value path", shapes: [valuePath.shape, x.shape])
            }
            // The query/key buffers are free now: reuse `query` for the v–v attention output.
            try Attention.multiHead(query: view(w.value, width), key: view(w.value, width), value: view(w.value, width),
                                    into: view(w.query, width), sequences: sequences, length: length, heads: heads,
                                    scale: scale, causal: causal)
            try output.apply(view(w.query, width), into: view(valuePath, width), accumulate: true)
        }
        try output.apply(context, into: xm, accumulate: true)
        try layerNorm2.apply(try x.reshaped([rows, width]), into: a)
        var start = 0
        while start < rows {
            let n = min(w.mlpChunkRows, rows - start)
            let h = try w.hidden.rows(0..<n)
            try fc1.apply(MatrixView(a.pointer + start * width, rows: n, cols: width), into: MatrixView(h.pointer, rows: n, cols: intermediateSize))
            h.apply(activation)
            try fc2.apply(MatrixView(h.pointer, rows: n, cols: intermediateSize), into: MatrixView(x.pointer + start * width, rows: n, cols: width),
                          accumulate: true)
            start += n
        }
    }
}
