import TensorCore

/// One pre-norm residual block of CLIP's text transformer, frozen, with forward-with-cache and the
/// input gradient: x1 = x + Attn(ln₁(x)); y = x1 + fc₂(QuickGELU(fc₁(ln₂(x1)))).
public struct TextTransformerBlock: Sendable {
    public let norm1: LayerNormLayer
    public let attention: CausalSelfAttention
    public let norm2: LayerNormLayer
    public let fc1: FrozenLinear
    public let fc2: FrozenLinear

    public init(norm1: LayerNormLayer, attention: CausalSelfAttention, norm2: LayerNormLayer,
                fc1: FrozenLinear, fc2: FrozenLinear) throws {
        let w = attention.width
        guard norm1.gamma.count == w, norm2.gamma.count == w, fc1.inputWidth == w, fc2.outputWidth == w,
              fc2.inputWidth == fc1.outputWidth
        else {
            throw TensorError.shapeMismatch(operation: "text block", shapes: [[w], fc1.weight.shape, fc2.weight.shape])
        }
        self.norm1 = norm1
        self.attention = attention
        self.norm2 = norm2
        self.fc1 = fc1
        self.fc2 = fc2
    }

    public struct Cache: Sendable {
        let norm1: LayerNormLayer.Cache
        let attention: CausalSelfAttention.Cache
        let norm2: LayerNormLayer.Cache
        let hidden: Tensor
    }

    public func forward(_ x: Tensor, sequences: Int, length: Int) throws -> (output: Tensor, cache: Cache) {
        let (a, c1) = try norm1.forward(x)
        let (attended, ca) = try attention.forward(a, sequences: sequences, length: length)
        let x1 = x.copy()
        try x1.add(attended)
        let (b, c2) = try norm2.forward(x1)
        let hidden = try fc1.forward(b)
        let mlp = try fc2.forward(QuickGELU.forward(hidden))
        try x1.add(mlp)
        return (x1, Cache(norm1: c1, attention: ca, norm2: c2, hidden: hidden))
    }

    public func backward(_ outputGradient: Tensor, cache: Cache) throws -> Tensor {
        let dActivated = try fc2.backward(outputGradient)
        let dHidden = try QuickGELU.backward(dActivated, input: cache.hidden)
        let dNormed2 = try fc1.backward(dHidden)
        // Residual: dx1 = dy + ∂(MLP branch)/∂x1.
        let dx1 = try norm2.backward(dNormed2, cache: cache.norm2)
        try dx1.add(outputGradient)
        let dNormed1 = try attention.backward(dx1, cache: cache.attention)
        let dx = try norm1.backward(dNormed1, cache: cache.norm1)
        try dx.add(dx1)
        return dx
    }
}
