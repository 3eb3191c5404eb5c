import Foundation
import PointADSupport
import TensorCore

/// A safetensors file opened by memory-mapping: 8-byte little-endian header length, a JSON header
/// `{name: {dtype, shape, data_offsets}, "__metadata__": {string: string}}`, then the tensor bytes.
///
/// The whole header is validated on open (sizes, offsets inside the file, no overlaps, shape ×
/// dtype size = byte length), so later reads cannot run off the mapping. F32 tensors whose bytes
/// are 4-byte aligned are returned in place, without a copy: they borrow the mapping, which this
/// object keeps alive, and must be treated as read-only (the pages are mapped read-only). F16 and
/// BF16 are converted to new float32 storage on read.
public final class SafetensorsFile: @unchecked Sendable {
    /// One tensor's header entry. `byteRange` is relative to the start of the file.
    public struct Entry: Sendable, Equatable {
        public let name: String
        public let dtype: SafetensorsDType
        public let shape: [Int]
        public let byteRange: Range<Int>
        public var count: Int { shape.reduce(1, *) }
    }

    /// Longest header accepted (the format's own limit is 100 MB).
    static let maximumHeaderBytes = 100_000_000

    public let url: URL
    /// The `__metadata__` string map (empty when absent).
    public let metadata: [String: String]
    /// Entries by tensor name.
    public let entries: [String: Entry]
    private let file: MappedFile
    private let base: UnsafeRawPointer

    /// Tensor names, sorted.
    public var names: [String] { entries.keys.sorted() }
    public var path: String { url.path }

    public init(contentsOf url: URL) throws {
        self.url = url
        let path = url.path
        let file = try MappedFile(url)
        guard file.count >= 8 else { throw FileError(path, "truncated safetensors file: \(file.count) bytes, shorter than the 8-byte header length") }
        // Keeping the mapping in this object keeps borrowed tensors valid.
        self.file = file
        base = file.bytes
        let headerLength = UInt64(littleEndian: base.loadUnaligned(as: UInt64.self))
        guard headerLength <= UInt64(Self.maximumHeaderBytes) else {
            throw FileError(path, "not a safetensors file: declared header length \(headerLength) exceeds the format's limit")
        }
        let headerEnd = 8 + Int(headerLength)
        guard headerEnd <= file.count else {
            throw FileError(path, "truncated safetensors file: header of \(headerLength) bytes declared, only \(file.count - 8) present")
        }
        let headerBytes = UnsafeRawBufferPointer(start: base + 8, count: Int(headerLength))
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(headerBytes))
        } catch {
            throw FileError(path, "safetensors header is not valid JSON")
        }
        guard let header = json as? [String: Any] else { throw FileError(path, "safetensors header is not a JSON object") }
        (metadata, entries) = try Self.parse(header: header, dataStart: headerEnd, fileSize: file.count, path: path)
    }

    private static func parse(header: [String: Any], dataStart: Int, fileSize: Int, path: String) throws
        -> (metadata: [String: String], entries: [String: Entry]) {
        var metadata: [String: String] = [:]
        var entries: [String: Entry] = [:]
        let dataSize = fileSize - dataStart
        for (name, value) in header {
            if name == "__metadata__" {
                guard let map = value as? [String: Any] else { throw FileError(path, "__metadata__ is not an object") }
                for (k, v) in map {
                    guard let s = v as? String else { throw FileError(path, "__metadata__ value for '\(k)' is not a string") }
                    metadata[k] = s
                }
                continue
            }
            guard let fields = value as? [String: Any] else { throw FileError(path, "tensor '\(name)': header entry is not an object") }
            guard let dtypeName = fields["dtype"] as? String else { throw FileError(path, "tensor '\(name)': missing dtype") }
            guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
                throw FileError(path, "tensor '\(name)': unknown dtype '\(dtypeName)'")
            }
            guard let shapeValues = fields["shape"] as? [Any], let shape = integers(shapeValues), shape.allSatisfy({ $0 >= 0 }) else {
                throw FileError(path, "tensor '\(name)': shape is not a list of non-negative integers")
            }
            guard let offsetValues = fields["data_offsets"] as? [Any], let offsets = integers(offsetValues), offsets.count == 2,
                  offsets[0] >= 0, offsets[0] <= offsets[1] else {
                throw FileError(path, "tensor '\(name)': data_offsets is not a pair [begin, end] with begin ≤ end")
            }
            guard offsets[1] <= dataSize else {
                throw FileError(path, "truncated safetensors file: tensor '\(name)' ends at byte \(offsets[1]) of the data section, which holds only \(dataSize) bytes")
            }
            var elements = 1
            for d in shape {
                let (p, overflow) = elements.multipliedReportingOverflow(by: d)
                guard !overflow, p <= dataSize else { throw FileError(path, "tensor '\(name)': shape \(shape) is larger than the file") }
                elements = p
            }
            guard elements * dtype.size == offsets[1] - offsets[0] else {
                throw FileError(path, "tensor '\(name)': shape \(shape) of \(dtypeName) needs \(elements * dtype.size) bytes, data_offsets give \(offsets[1] - offsets[0])")
            }
            entries[name] = Entry(name: name, dtype: dtype, shape: shape, byteRange: (dataStart + offsets[0])..<(dataStart + offsets[1]))
        }
        // Byte ranges must not overlap (a crafted header could alias one tensor's bytes with another's).
        let sorted = entries.values.filter { !$0.byteRange.isEmpty }.sorted { $0.byteRange.lowerBound < $1.byteRange.lowerBound }
        for (a, b) in zip(sorted, sorted.dropFirst()) where b.byteRange.lowerBound < a.byteRange.upperBound {
            throw FileError(path, "tensors '\(a.name)' and '\(b.name)' overlap in the data section")
        }
        return (metadata, entries)
    }

    private static func integers(_ values: [Any]) -> [Int]? {
        var out: [Int] = []
        for v in values {
            guard let n = v as? Int else { return nil }
            out.append(n)
        }
        return out
    }

    public func contains(_ name: String) -> Bool { entries[name] != nil }

    /// The entry named `name`, or an error naming the missing tensor.
    public func entry(_ name: String) throws -> Entry {
        guard let e = entries[name] else { throw FileError(path, "tensor '\(name)' is missing") }
        return e
    }

    /// The tensor as float32, checked against `expectedShape` when given. F32 with aligned bytes is
    /// borrowed from the mapping (read-only); F16/BF16 are converted. A tensor holding NaN or ±Inf
    /// is refused, naming the file, the tensor and the element: weights and prompts must be finite,
    /// or every score computed from them is NaN.
    public func tensor(_ name: String, shape expectedShape: [Int]? = nil) throws -> Tensor {
        let t = try floatTensor(name, shape: expectedShape)
        if let i = t.firstNonFiniteIndex {
            throw FileError(path, "tensor '\(name)' (shape \(t.shape)) holds a non-finite value \(t.pointer[i]) at element \(i): the file is corrupt or was saved from a diverged run")
        }
        return t
    }

    private func floatTensor(_ name: String, shape expectedShape: [Int]?) throws -> Tensor {
        let e = try entry(name)
        if let expectedShape, expectedShape != e.shape {
            throw FileError(path, "tensor '\(name)' has shape \(e.shape), expected \(expectedShape)")
        }
        let source = base + e.byteRange.lowerBound
        switch e.dtype {
        case .f32:
            if Int(bitPattern: source) % MemoryLayout<Float>.alignment == 0 {
                let pointer = UnsafeMutablePointer(mutating: source.assumingMemoryBound(to: Float.self))
                return try Tensor(storage: TensorStorage(borrowing: pointer, count: e.count, owner: self), shape: e.shape)
            }
            let t = Tensor(zeros: e.shape)
            UnsafeMutableRawPointer(t.pointer).copyMemory(from: source, byteCount: e.count * 4)
            return t
        case .f16:
            let t = Tensor(zeros: e.shape), out = t.pointer
            for i in 0..<e.count { out[i] = Float(Float16(bitPattern: source.loadUnaligned(fromByteOffset: 2 &* i, as: UInt16.self))) }
            return t
        case .bf16:
            let t = Tensor(zeros: e.shape), out = t.pointer
            for i in 0..<e.count { out[i] = Float(bitPattern: UInt32(source.loadUnaligned(fromByteOffset: 2 &* i, as: UInt16.self)) &<< 16) }
            return t
        default:
            throw FileError(path, "tensor '\(name)' has dtype \(e.dtype.rawValue), which cannot be read as floats (F32, F16 or BF16 expected)")
        }
    }

    /// An integer tensor (I32 or I64) as Int32 values with its shape.
    public func int32Values(_ name: String) throws -> (shape: [Int], values: [Int32]) {
        let e = try entry(name)
        let source = base + e.byteRange.lowerBound
        switch e.dtype {
        case .i32:
            return (e.shape, (0..<e.count).map { source.loadUnaligned(fromByteOffset: 4 &* $0, as: Int32.self) })
        case .i64:
            var values: [Int32] = []
            values.reserveCapacity(e.count)
            for i in 0..<e.count {
                let v = source.loadUnaligned(fromByteOffset: 8 &* i, as: Int64.self)
                guard let small = Int32(exactly: v) else { throw FileError(path, "tensor '\(name)': value \(v) does not fit in int32") }
                values.append(small)
            }
            return (e.shape, values)
        default:
            throw FileError(path, "tensor '\(name)' has dtype \(e.dtype.rawValue), expected I32 or I64")
        }
    }
}
