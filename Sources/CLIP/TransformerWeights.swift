import TensorCore

/// A linear layer in PyTorch's layout: y = x · weightᵀ + bias, `weight` [out, in], `bias` [out].
public struct LinearWeights: Sendable {
    public let weight: Tensor
    public let bias: Tensor?

    public init(weight: Tensor, bias: Tensor?) {
        self.weight = weight
        self.bias = bias
    }

    public var inputSize: Int { weight.shape[1] }
    public var outputSize: Int { weight.shape[0] }

    /// output = input · weightᵀ + bias (+ beta · output). `input` is [rows, in], `output` [rows, out].
    public func apply(_ input: MatrixView, into output: MatrixView, accumulate: Bool = false) throws {
        try gemm(input, MatrixView(weight), transposeB: true, into: output, beta: accumulate ? 1 : 0)
        if let bias { addRowVector(bias.pointer, to: output) }
    }

    /// Reads `<prefix>.weight` [out, in] and, when `bias`, `<prefix>.bias` [out].
    static func load(_ file: any TensorSource, _ prefix: String, out: Int, in inputs: Int, bias: Bool = true) throws -> LinearWeights {
        LinearWeights(weight: try file.tensor(prefix + ".weight", shape: [out, inputs]),
                      bias: bias ? try file.tensor(prefix + ".bias", shape: [out]) : nil)
    }
}

/// Layer norm parameters over the last dimension.
public struct LayerNormWeights: Sendable {
    public let gamma: Tensor
    public let beta: Tensor
    public let eps: Float

    public init(gamma: Tensor, beta: Tensor, eps: Float) {
        self.gamma = gamma
        self.beta = beta
        self.eps = eps
    }

    /// Normalises every row of `input` into `output` (may be the same tensor).
    @discardableResult
    public func apply(_ input: Tensor, into output: Tensor? = nil) throws -> Tensor {
        try input.layerNormRows(gamma: gamma, beta: beta, eps: eps, into: output)
    }

    /// Reads `<prefix>.weight` and `<prefix>.bias`, both [width].
    static func load(_ file: any TensorSource, _ prefix: String, width: Int, eps: Float) throws -> LayerNormWeights {
        LayerNormWeights(gamma: try file.tensor(prefix + ".weight", shape: [width]),
                         beta: try file.tensor(prefix + ".bias", shape: [width]), eps: eps)
    }
}

/// One pre-LN transformer block (CLIP's `CLIPEncoderLayer`):
///   a = ln1(x);  x += out(attention(query(a), key(a), value(a)));  x += fc2(act(fc1(ln2(x)))).
public struct TransformerLayerWeights: Sendable {
    public let layerNorm1: LayerNormWeights
    public let query: LinearWeights
    public let key: LinearWeights
    public let value: LinearWeights
    public let output: LinearWeights
    public let layerNorm2: LayerNormWeights
    public let fc1: LinearWeights
    public let fc2: LinearWeights

    public init(layerNorm1: LayerNormWeights, query: LinearWeights, key: LinearWeights, value: LinearWeights,
                output: LinearWeights, layerNorm2: LayerNormWeights, fc1: LinearWeights, fc2: LinearWeights) {
        self.layerNorm1 = layerNorm1
        self.query = query
        self.key = key
        self.value = value
        self.output = output
        self.layerNorm2 = layerNorm2
        self.fc1 = fc1
        self.fc2 = fc2
    }

    public var width: Int { query.inputSize }
    public var intermediateSize: Int { fc1.outputSize }

    /// The tensor names of block `index` under `prefix` (e.g. "vision_model.encoder"), in the
    /// Hugging Face layout.
    static func tensorNames(prefix: String, index: Int) -> [String] {
        let p = "\(prefix).layers.\(index)."
        return ["layer_norm1", "layer_norm2", "self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.out_proj",
                "mlp.fc1", "mlp.fc2"].flatMap { [p + $0 + ".weight", p + $0 + ".bias"] }
    }

    static func load(_ file: any TensorSource, prefix: String, index: Int, width: Int, intermediate: Int, eps: Float) throws -> TransformerLayerWeights {
        let p = "\(prefix).layers.\(index)."
        return TransformerLayerWeights(
            layerNorm1: try .load(file, p + "layer_norm1", width: width, eps: eps),
            query: try .load(file, p + "self_attn.q_proj", out: width, in: width),
            key: try .load(file, p + "self_attn.k_proj", out: width, in: width),
            value: try .load(file, p + "self_attn.v_proj", out: width, in: width),
            output: try .load(file, p + "self_attn.out_proj", out: width, in: width),
            layerNorm2: try .load(file, p + "layer_norm2", width: width, eps: eps),
            fc1: try .load(file, p + "mlp.fc1", out: intermediate, in: width),
            fc2: try .load(file, p + "mlp.fc2", out: width, in: intermediate))
    }
}

/// Adds `bias` to every row of a (possibly strided) matrix.
func addRowVector(_ bias: UnsafeMutablePointer<Float>, to m: MatrixView) {
    let cols = m.cols, ld = m.ld, base = m.pointer
    Parallel.forChunks(m.rows, costPerItem: cols) { r in
        for row in r {
            let p = base + row &* ld
            for j in 0..<cols { p[j] += bias[j] }
        }
    }
}
