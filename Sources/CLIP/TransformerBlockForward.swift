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
    ///
    /// `tokens: .first` computes the original path for the first token of each sequence only (the
    /// other rows of `x` are left as they were): for a last block whose other tokens nobody reads.
    public func forward(_ x: Tensor, sequences: Int, length: Int, heads: Int, activation: Activation, causal: Bool,
                        workspace w: TransformerWorkspace, valuePath: Tensor? = nil, tokens: BlockTokens = .all) throws {
        let rows = sequences * length
        guard x.count == rows * width, w.rows >= rows else {
            throw TensorError.shapeMismatch(operation: "transformer block", shapes: [x.shape, [rows, width]])
        }
        if let valuePath, valuePath.count != rows * width {
            throw TensorError.shapeMismatch(operation: "value-value path", shapes: [valuePath.shape, x.shape])
        }
        let view = { (t: Tensor, cols: Int) in MatrixView(t.pointer, rows: rows, cols: cols) }
        let xm = view(x, width), a = try w.normed.rows(0..<rows)
        try layerNorm1.apply(try x.reshaped([rows, width]), into: a)
        if tokens == .first {
            try forwardFirstTokens(x, sequences: sequences, length: length, heads: heads, activation: activation, normed: a,
                                   workspace: w, valuePath: valuePath)
            return
        }
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
            try valueValueAttention(valuePath, sequences: sequences, length: length, heads: heads, causal: causal, workspace: w)
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

    /// valuePath += out(MHA(v, v, v)) with v the value projection already in `w.value`; the
    /// attention output goes through `w.query` (free by then).
    func valueValueAttention(_ valuePath: Tensor, sequences: Int, length: Int, heads: Int, causal: Bool, workspace w: TransformerWorkspace) throws {
        let rows = sequences * length
        let v = MatrixView(w.value.pointer, rows: rows, cols: width), out = MatrixView(w.query.pointer, rows: rows, cols: width)
        try Attention.multiHead(query: v, key: v, value: v, into: out, sequences: sequences, length: length, heads: heads,
                                scale: 1 / Float(width / heads).squareRoot(), causal: causal)
        try output.apply(out, into: MatrixView(valuePath.pointer, rows: rows, cols: width), accumulate: true)
    }

    /// The block for the first token of each sequence on the original path (keys and values still
    /// come from every token), plus the full value–value path when given. `normed` holds ln1(x).
    func forwardFirstTokens(_ x: Tensor, sequences: Int, length: Int, heads: Int, activation: Activation, normed a: Tensor,
                            workspace w: TransformerWorkspace, valuePath: Tensor?) throws {
        let rows = sequences * length, stride = length * width
        let all = { (t: Tensor) in MatrixView(t.pointer, rows: rows, cols: width) }
        // Row 0 of every sequence, read in place through the leading dimension.
        let firstRows = { (t: Tensor) in MatrixView(t.pointer, rows: sequences, cols: width, ld: stride) }
        let q = MatrixView(w.query.pointer, rows: sequences, cols: width)
        try query.apply(firstRows(a), into: q)
        try key.apply(all(a), into: all(w.key))
        try value.apply(all(a), into: all(w.value))
        let context = Tensor(zeros: [sequences, width])
        try Attention.firstToken(query: q, key: all(w.key), value: all(w.value), into: MatrixView(context.pointer, rows: sequences, cols: width),
                                 sequences: sequences, length: length, heads: heads, scale: 1 / Float(width / heads).squareRoot())
        if let valuePath {
            try valueValueAttention(valuePath, sequences: sequences, length: length, heads: heads, causal: false, workspace: w)
        }
        try output.apply(MatrixView(context.pointer, rows: sequences, cols: width), into: firstRows(x), accumulate: true)
        let first = Tensor(zeros: [sequences, width])
        for b in 0..<sequences { first.pointer.advanced(by: b * width).update(from: x.pointer + b * stride, count: width) }
        try layerNorm2.apply(first, into: first)
        let h = Tensor(zeros: [sequences, intermediateSize])
        try fc1.apply(MatrixView(first.pointer, rows: sequences, cols: width), into: MatrixView(h.pointer, rows: sequences, cols: intermediateSize))
        h.apply(activation)
        try fc2.apply(MatrixView(h.pointer, rows: sequences, cols: intermediateSize), into: firstRows(x), accumulate: true)
    }
}

/// Which tokens of the original path a block computes.
public enum BlockTokens: Sendable, Equatable {
    /// Every token.
    case all
    /// The first token of each sequence (the class token).
    case first
}
