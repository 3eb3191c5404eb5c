/// Activation functions of transformers, in place.
public enum Activation: String, Sendable, Codable {
    /// x · σ(1.702 x): OpenAI CLIP's "quick_gelu".
    case quickGELU = "quick_gelu"
    /// 0.5 x (1 + erf(x/√2)): exact GELU ("gelu").
    case gelu = "gelu"
    /// 0.5 x (1 + tanh(√(2/π)(x + 0.044715 x³))): "gelu_new" / "gelu_pytorch_tanh".
    case geluTanh = "gelu_new"

    /// Parses a Hugging Face `hidden_act` name.
    public init?(huggingFaceName name: String) {
        switch name {
        case "quick_gelu": self = .quickGELU
        case "gelu": self = .gelu
        case "gelu_new", "gelu_pytorch_tanh", "gelu_fast": self = .geluTanh
        default: return nil
        }
    }
}

extension Tensor {
    /// Applies `activation` elementwise in place.
    public func apply(_ activation: Activation) {
        let a = pointer
        switch activation {
        case .quickGELU:
            Parallel.forChunks(count) { r in for i in r { let x = a[i]; a[i] = x / (1 + FastMath.exp(-1.702 * x)) } }
        case .gelu:
            Parallel.forChunks(count) { r in for i in r { let x = a[i]; a[i] = 0.5 * x * (1 + FastMath.erf(x * 0.70710678118654752)) } }
        case .geluTanh:
            Parallel.forChunks(count) { r in
                for i in r {
                    let x = a[i]
                    let z = 0.7978845608028654 * (x + 0.044715 * x * x * x)
                    a[i] = 0.5 * x * (1 + FastMath.tanh(z))
                }
            }
        }
    }
}
