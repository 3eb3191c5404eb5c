import TensorCore

/// Named float tensors with shapes, wherever they are stored: a safetensors file, a PyTorch
/// checkpoint, a sharded folder, or a renaming view over one of those (OpenAI's CLIP names read
/// as Hugging Face's). The model loaders read weights only through this.
public protocol TensorSource: AnyObject, Sendable {
    /// The file or folder the tensors come from, for error messages.
    var path: String { get }
    /// Every tensor name, sorted.
    var names: [String] { get }
    func contains(_ name: String) -> Bool
    /// The shape of `name`, or an error naming the missing tensor.
    func shape(of name: String) throws -> [Int]
    /// The tensor as float32, checked against `shape` when given (an error names the tensor,
    /// both shapes and the file).
    func tensor(_ name: String, shape: [Int]?) throws -> Tensor
    /// Free-form string metadata (safetensors' `__metadata__`); empty where the format has none.
    var metadata: [String: String] { get }
}

extension TensorSource {
    public var metadata: [String: String] { [:] }
    public func tensor(_ name: String) throws -> Tensor { try tensor(name, shape: nil) }
}

extension SafetensorsFile: TensorSource {
    public func shape(of name: String) throws -> [Int] { try entry(name).shape }
}
