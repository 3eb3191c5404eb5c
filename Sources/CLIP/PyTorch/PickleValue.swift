/// A value rebuilt by `RestrictedUnpickler`. Only data: containers, scalars, tensor references and
/// the attribute maps of TorchScript modules. Lists, dicts and objects are reference types because
/// a pickle fills them after memoising them (EMPTY_DICT, BINPUT, … SETITEMS).
indirect enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case tuple(PickleTuple)
    case list(PickleList)
    case dict(PickleDict)
    /// A TorchScript module or other `__torch__.*` class instance: its attributes.
    case object(PickleObject)
    /// An allowed global that is used as a value (a storage type such as `torch.FloatStorage`,
    /// or a function awaiting REDUCE).
    case global(module: String, name: String)
    /// A persistent storage reference: ('storage', type, key, location, numel).
    case storage(TorchStorageReference)
    case tensor(TorchTensorReference)

    var typeName: String {
        switch self {
        case .none: "None"
        case .bool: "bool"
        case .int: "int"
        case .float: "float"
        case .string: "str"
        case .bytes: "bytes"
        case .tuple: "tuple"
        case .list: "list"
        case .dict: "dict"
        case .object(let o): o.className
        case .global(let m, let n): "\(m).\(n)"
        case .storage: "storage"
        case .tensor: "tensor"
        }
    }
}

/// Containers know their nesting depth, and are sealed once placed inside another container:
/// the unpickler refuses to change a sealed one. torch.save never needs that (it fills a container
/// before nesting it), and refusing it rules out cycles and keeps the depth exact, so a crafted
/// pickle cannot build a structure whose release or traversal overflows the stack.
class PickleContainer {
    var depth = 1
    var sealed = false
}

final class PickleTuple: PickleContainer {
    let items: [PickleValue]
    init(_ items: [PickleValue]) {
        self.items = items
        super.init()
    }
}

final class PickleList: PickleContainer {
    var items: [PickleValue]
    init(_ items: [PickleValue] = []) {
        self.items = items
        super.init()
    }
}

/// Insertion-ordered, as Python's dict and OrderedDict are.
final class PickleDict: PickleContainer {
    var pairs: [(key: PickleValue, value: PickleValue)] = []
    override init() { super.init() }
}

final class PickleObject: PickleContainer {
    let className: String
    var attributes: PickleDict?
    init(className: String) {
        self.className = className
        super.init()
    }
}

extension PickleValue {
    var container: PickleContainer? {
        switch self {
        case .tuple(let c): c
        case .list(let c): c
        case .dict(let c): c
        case .object(let c): c
        default: nil
        }
    }
}

/// A storage as `torch.save` references it: the element type, the key of its zip entry
/// (`<archive>/data/<key>`) and its length in elements.
struct TorchStorageReference: Equatable {
    let dtype: TorchDType
    let key: String
    let elementCount: Int
}

/// A tensor as `_rebuild_tensor_v2` describes it: a view of a storage.
struct TorchTensorReference: Equatable {
    let storage: TorchStorageReference
    /// In elements.
    let offset: Int
    let shape: [Int]
    let strides: [Int]
}

/// The storage element types (`torch.<Name>Storage`).
public enum TorchDType: String, Sendable, CaseIterable {
    case float32 = "FloatStorage", float16 = "HalfStorage", bfloat16 = "BFloat16Storage", float64 = "DoubleStorage"
    case int64 = "LongStorage", int32 = "IntStorage", int16 = "ShortStorage", int8 = "CharStorage"
    case uint8 = "ByteStorage", bool = "BoolStorage"

    public var size: Int {
        switch self {
        case .float64, .int64: 8
        case .float32, .int32: 4
        case .float16, .bfloat16, .int16: 2
        case .int8, .uint8, .bool: 1
        }
    }

    /// The name `pointad info` prints, as torch spells the dtype.
    public var displayName: String {
        switch self {
        case .float32: "float32"
        case .float16: "float16"
        case .bfloat16: "bfloat16"
        case .float64: "float64"
        case .int64: "int64"
        case .int32: "int32"
        case .int16: "int16"
        case .int8: "int8"
        case .uint8: "uint8"
        case .bool: "bool"
        }
    }

    public var isFloatingPoint: Bool { self == .float32 || self == .float16 || self == .bfloat16 || self == .float64 }
}
