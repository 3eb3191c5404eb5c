import TensorCore

/// Multi-head self-attention of CLIP's text transformer (causal: token i sees tokens 0…i), with a
/// forward pass that keeps what the backward pass needs. The input holds `sequences` sequences of
/// `length` tokens stacked as rows [sequences·length, width]; projections are frozen.
public struct CausalSelfAttention: Sendable {
    /// Query, key and value projections, each [width, width] (kept apart, as in the Hugging Face
    /// layout, so CLIP's weights are used without copies).
    public let query: FrozenLinear
    public let key: FrozenLinear
    public let value: FrozenLinear
    public let outProjection: FrozenLinear
    public let heads: Int

    public init(query: FrozenLinear, key: FrozenLinear, value: FrozenLinear, outProjection: FrozenLinear, heads: Int) throws {
        let width = outProjection.outputWidth
        let square = [query, key, value, outProjection].allSatisfy { $0.inputWidth == width && $0.outputWidth == width }
        guard heads > 0, width % heads == 0, square else {
            throw TensorError.shapeMismatch(operation: "attention with \(heads) heads",
                                            shapes: [query.weight.shape, key.weight.shape, value.weight.shape, outProjection.weight.shape])
        }
        self.query = query
        self.key = key
        self.value = value
        self.outProjection = outProjection
        self.heads = heads
    }

    /// Projects `x` [rows, width] into q, k, v side by side: [rows, 3·width].
    func projectQKV(_ x: Tensor, rows: Int) throws -> Tensor {
        let width = width, qkv = Tensor(zeros: [rows, 3 * width])
        for (i, layer) in [query, key, value].enumerated() {
            let out = MatrixView(qkv.pointer + i * width, rows: rows, cols: width, ld: 3 * width)
            try gemm(MatrixView(x.pointer, rows: rows, cols: width), MatrixView(layer.weight.pointer, rows: width, cols: width),
                     transposeB: true, into: out)
            if let bias = layer.bias {
                for r in 0..<rows { let row = out.pointer + r * out.ld; for j in 0..<width { row[j] += bias.pointer[j] } }
            }
        }
        return qkv
    }

    /// dx = dq·W_q + dk·W_k + dv·W_v for the side-by-side gradient [rows, 3·width].
    func backwardQKV(_ dqkv: Tensor, rows: Int) throws -> Tensor {
        let width = width, dx = Tensor(zeros: [rows, width])
        for (i, layer) in [query, key, value].enumerated() {
            try gemm(MatrixView(dqkv.pointer + i * width, rows: rows, cols: width, ld: 3 * width),
                     MatrixView(layer.weight.pointer, rows: width, cols: width),
                     into: MatrixView(dx.pointer, rows: rows, cols: width), beta: i == 0 ? 0 : 1)
        }
        return dx
    }

    public var width: Int { outProjection.outputWidth }

    public struct Cache: Sendable {
        let sequences: Int
        let length: Int
        /// [rows, 3·width]: q, k, v of every token (q unscaled).
        let qkv: Tensor
        /// [sequences·heads, length, length]: attention probabilities (0 above the diagonal).
        let probabilities: Tensor
    }

    public func forward(_ x: Tensor, sequences: Int, length: Int) throws -> (output: Tensor, cache: Cache) {
        let width = width, rows = sequences * length
        guard x.count == rows * width else {
            throw TensorError.shapeMismatch(operation: "attention input", shapes: [x.shape, [rows, width]])
        }
        let qkv = try projectQKV(x, rows: rows)
        let hd = width / heads, scale = 1 / Float(hd).squareRoot()
        let probs = Tensor(zeros: [sequences * heads, length, length])
        let context = Tensor(zeros: [rows, width])
        let q = qkv.pointer, p = probs.pointer, c = context.pointer, ld = 3 * width
        // Scores S = Q·Kᵀ per (sequence, head).
        try batchedGemm(count: sequences * heads, transposeB: true, alpha: scale) { i in
            let s = i / heads, h = i % heads, base = q + s * length * ld + h * hd
            return (MatrixView(base, rows: length, cols: hd, ld: ld),
                    MatrixView(base + width, rows: length, cols: hd, ld: ld),
                    MatrixView(p + i * length * length, rows: length, cols: length))
        }
        // Causal softmax: row i over columns 0…i; the rest are exactly 0.
        for i in 0..<(sequences * heads) {
            let m = p + i * length * length
            for r in 0..<length {
                let row = m + r * length
                var mx = -Float.infinity
                for j in 0...r { mx = max(mx, row[j]) }
                var sum: Float = 0
                for j in 0...r { let e = FastMath.exp(row[j] - mx); row[j] = e; sum += e }
                let inv = 1 / sum
                for j in 0...r { row[j] *= inv }
                for j in (r + 1)..<length { row[j] = 0 }
            }
        }
        // Context O = P·V, written head by head into its columns.
        try batchedGemm(count: sequences * heads) { i in
            let s = i / heads, h = i % heads
            return (MatrixView(p + i * length * length, rows: length, cols: length),
                    MatrixView(q + s * length * ld + 2 * width + h * hd, rows: length, cols: hd, ld: ld),
                    MatrixView(c + s * length * width + h * hd, rows: length, cols: hd, ld: width))
        }
        let y = try outProjection.forward(context)
        return (try y.reshaped(x.shape), Cache(sequences: sequences, length: length, qkv: qkv, probabilities: probs))
    }

    /// dx for dy = ∂L/∂output (same shape as the input).
    public func backward(_ outputGradient: Tensor, cache: Cache) throws -> Tensor {
        let width = width, rows = cache.sequences * cache.length, length = cache.length
        let hd = width / heads, scale = 1 / Float(hd).squareRoot(), ld = 3 * width
        let dContext = try outProjection.backward(try outputGradient.reshaped([rows, width]))
        let dqkv = Tensor(zeros: [rows, 3 * width])
        let dScores = Tensor(zeros: cache.probabilities.shape)
        let q = cache.qkv.pointer, p = cache.probabilities.pointer, dc = dContext.pointer
        let dq = dqkv.pointer, ds = dScores.pointer
        let pairs = cache.sequences * heads
        // dP = dO·Vᵀ.
        try batchedGemm(count: pairs, transposeB: true) { i in
            let s = i / heads, h = i % heads
            return (MatrixView(dc + s * length * width + h * hd, rows: length, cols: hd, ld: width),
                    MatrixView(q + s * length * ld + 2 * width + h * hd, rows: length, cols: hd, ld: ld),
                    MatrixView(ds + i * length * length, rows: length, cols: length))
        }
        // dV = Pᵀ·dO.
        try batchedGemm(count: pairs, transposeA: true) { i in
            let s = i / heads, h = i % heads
            return (MatrixView(p + i * length * length, rows: length, cols: length),
                    MatrixView(dc + s * length * width + h * hd, rows: length, cols: hd, ld: width),
                    MatrixView(dq + s * length * ld + 2 * width + h * hd, rows: length, cols: hd, ld: ld))
        }
        // Softmax backward in place: dS = P ⊙ (dP − Σ_j dP⊙P); masked entries have P = 0.
        for i in 0..<pairs {
            let m = p + i * length * length, d = ds + i * length * length
            for r in 0..<length {
                let pr = m + r * length, dr = d + r * length
                var dot: Float = 0
                for j in 0..<length { dot += pr[j] * dr[j] }
                for j in 0..<length { dr[j] = pr[j] * (dr[j] - dot) }
            }
        }
        // dQ = scale·dS·K and dK = scale·dSᵀ·Q.
        try batchedGemm(count: pairs, alpha: scale) { i in
            let s = i / heads, h = i % heads
            return (MatrixView(ds + i * length * length, rows: length, cols: length),
                    MatrixView(q + s * length * ld + width + h * hd, rows: length, cols: hd, ld: ld),
                    MatrixView(dq + s * length * ld + h * hd, rows: length, cols: hd, ld: ld))
        }
        try batchedGemm(count: pairs, transposeA: true, alpha: scale) { i in
            let s = i / heads, h = i % heads
            return (MatrixView(ds + i * length * length, rows: length, cols: length),
                    MatrixView(q + s * length * ld + h * hd, rows: length, cols: hd, ld: ld),
                    MatrixView(dq + s * length * ld + width + h * hd, rows: length, cols: hd, ld: ld))
        }
        let dx = try backwardQKV(dqkv, rows: rows)
        return try dx.reshaped(outputGradient.shape)
    }
}
