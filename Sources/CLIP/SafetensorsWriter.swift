import Foundation
import PointADSupport
import TensorCore

/// Builds a safetensors file and writes it atomically. Tensors are written in name order (as the
/// reference library does); the header is padded with spaces to a multiple of 8 bytes so that
/// float32 data stays aligned and `SafetensorsFile` can use it in place.
///
/// Large tensors can be added as generators (`add(_:shape:generate:)`): they are produced one at
/// a time while streaming, so a file of gigabytes needs only one tensor's worth of memory.
public struct SafetensorsWriter {
    private enum Payload {
        case floats(Tensor)
        case int32s([Int32])
        case generated((UnsafeMutableBufferPointer<Float>) -> Void)
    }

    private struct Item {
        let name: String
        let dtype: SafetensorsDType
        let shape: [Int]
        let payload: Payload
        var byteCount: Int { shape.reduce(1, *) * dtype.size }
    }

    private var items: [String: Item] = [:]
    /// Written under `__metadata__`.
    public var metadata: [String: String]

    public init(metadata: [String: String] = [:]) { self.metadata = metadata }

    public var names: [String] { items.keys.sorted() }

    /// Adds a float32 tensor (its current values are written at `write` time).
    public mutating func add(_ name: String, _ tensor: Tensor) throws {
        try insert(Item(name: name, dtype: .f32, shape: tensor.shape, payload: .floats(tensor)))
    }

    /// Adds an int32 tensor.
    public mutating func add(_ name: String, int32 values: [Int32], shape: [Int]) throws {
        guard shape.reduce(1, *) == values.count else {
            throw UsageError("safetensors tensor '\(name)': \(values.count) values do not fill shape \(shape)")
        }
        try insert(Item(name: name, dtype: .i32, shape: shape, payload: .int32s(values)))
    }

    /// Adds a float32 tensor whose values `generate` writes into the buffer it is given, when the
    /// file is written.
    public mutating func add(_ name: String, shape: [Int], generate: @escaping (UnsafeMutableBufferPointer<Float>) -> Void) throws {
        try insert(Item(name: name, dtype: .f32, shape: shape, payload: .generated(generate)))
    }

    private mutating func insert(_ item: Item) throws {
        guard item.name != "__metadata__", !item.name.isEmpty else { throw UsageError("invalid safetensors tensor name '\(item.name)'") }
        guard items[item.name] == nil else { throw UsageError("safetensors tensor '\(item.name)' added twice") }
        guard item.shape.allSatisfy({ $0 >= 0 }) else { throw UsageError("safetensors tensor '\(item.name)': negative dimension in \(item.shape)") }
        items[item.name] = item
    }

    /// The header JSON (without length prefix or padding).
    func headerJSON() throws -> Data {
        var header: [String: Any] = [:]
        var offset = 0
        for name in names {
            let item = items[name]!
            header[name] = ["dtype": item.dtype.rawValue, "shape": item.shape, "data_offsets": [offset, offset + item.byteCount]] as [String: Any]
            offset += item.byteCount
        }
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        return try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
    }

    /// Writes the file atomically (temporary file, then rename).
    public func write(to url: URL) throws {
        var header = try headerJSON()
        let padding = (8 - header.count % 8) % 8
        header.append(contentsOf: [UInt8](repeating: 0x20, count: padding))
        try AtomicFile.write(to: url) { stream in
            var length = UInt64(header.count).littleEndian
            try withUnsafeBytes(of: &length) { try stream.write($0) }
            try stream.write(header)
            var scratch: Tensor?
            for name in names {
                let item = items[name]!
                switch item.payload {
                case let .floats(tensor):
                    try stream.write(UnsafeRawBufferPointer(start: tensor.pointer, count: tensor.count * 4))
                case let .int32s(values):
                    try values.withUnsafeBytes { try stream.write($0) }
                case let .generated(generate):
                    let count = item.shape.reduce(1, *)
                    if scratch == nil || scratch!.count < count { scratch = Tensor(zeros: [count]) }
                    let buffer = UnsafeMutableBufferPointer(start: scratch!.pointer, count: count)
                    generate(buffer)
                    try stream.write(UnsafeRawBufferPointer(buffer))
                }
            }
        }
    }
}
