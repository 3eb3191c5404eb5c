import TensorCore

/// Intermediate buffers of a transformer block, sized for `rows` tokens and reused by every
/// block of a forward pass (no allocation per layer).
public final class TransformerWorkspace {
    public let rows: Int
    /// ln1/ln2 output, [rows, width].
    public let normed: Tensor
    public let query: Tensor
    public let key: Tensor
    public let value: Tensor
    /// Attention output before the output projection, [rows, width].
    public let context: Tensor
    /// MLP hidden activations, [rows, intermediate].
    public let hidden: Tensor

    public init(rows: Int, width: Int, intermediate: Int) {
        self.rows = rows
        normed = Tensor(zeros: [rows, width])
        query = Tensor(zeros: [rows, width])
        key = Tensor(zeros: [rows, width])
        value = Tensor(zeros: [rows, width])
        context = Tensor(zeros: [rows, width])
        hidden = Tensor(zeros: [rows, intermediate])
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
        try Attention.multiHead(query: view(w.query, width), key: view(w.key, width), value: view(w.value, width),
                                into: view(w.context, width), sequences: sequences, length: length, heads: heads,
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
        try output.apply(view(w.context, width), into: xm, accumulate: true)
        try layerNorm2.apply(try x.reshaped([rows, width]), into: a)
        let h = try w.hidden.rows(0..<rows)
        try fc1.apply(view(a, width), into: view(h, intermediateSize))
        h.apply(activation)
        try fc2.apply(view(h, intermediateSize), into: xm, accumulate: true)
    }
}
