import Foundation
import PointADSupport
import TensorCore

/// A PyTorch checkpoint read without Python: the zip format of `torch.save` (≥ 1.6:
/// `<archive>/data.pkl`, `<archive>/data/<key>` storages, `byteorder`, `version`) and TorchScript
/// archives (`torch.jit.save`, e.g. OpenAI's `ViT-L-14-336px.pt`: the module in `data.pkl`, its
/// code and `constants.pkl` beside it, which are not needed for the weights and not read).
///
/// `data.pkl` is run by `RestrictedUnpickler` (no code, an allow-list of globals); the tensors it
/// describes are then found by walking dicts and module attributes and joining keys with "." —
/// `{"prompt_learner": {"ctx_pos": …}}` gives `prompt_learner.ctx_pos`, a TorchScript CLIP gives
/// its `state_dict()` names. Every storage's length is checked against its zip entry and every
/// tensor view against its storage on open; float32 tensors that are contiguous and aligned are
/// used in place in the memory-mapped file, others (float16, bfloat16, float64, strided views)
/// are converted to new float32 storage when read.
public final class TorchCheckpoint: TensorSource, @unchecked Sendable {
    public struct Entry: Sendable, Equatable {
        public let name: String
        public let dtype: TorchDType
        public let shape: [Int]
        let strides: [Int]
        /// In elements, from the storage's start.
        let offset: Int
        /// The storage's bytes in the file.
        let storageBytes: Range<Int>
        public var count: Int { shape.reduce(1, *) }
    }

    public let url: URL
    public var path: String { url.path }
    /// Whether the archive is a TorchScript module (`torch.jit.save`) rather than `torch.save` data.
    public let isTorchScript: Bool
    public let entries: [String: Entry]
    private let file: MappedFile

    public var names: [String] { entries.keys.sorted() }

    public init(contentsOf url: URL) throws {
        self.url = url
        let path = url.path
        let file = try MappedFile(url)
        self.file = file
        if file.count >= 2, file.bytes.load(as: UInt8.self) == 0x80 {
            throw FileError(path, "a legacy (before PyTorch 1.6, not zip) checkpoint; only the zip format is read — re-save it with a recent torch.save")
        }
        let zip = try ZipDirectory(bytes: file.bytes, count: file.count, path: path)
        let pickles = zip.entries.filter { $0.name.hasSuffix("/data.pkl") && $0.name.dropLast(9).split(separator: "/", omittingEmptySubsequences: false).count == 1 }
        guard pickles.count == 1, let pickle = pickles.first else {
            throw FileError(path, pickles.isEmpty ? "a zip archive without <name>/data.pkl: not a PyTorch checkpoint"
                                                  : "a zip archive with \(pickles.count) data.pkl records")
        }
        let prefix = String(pickle.name.dropLast(8))
        if let order = zip.byName[prefix + "byteorder"] {
            let text = String(decoding: file.buffer(try zip.dataRange(order)), as: UTF8.self)
            guard text == "little" else { throw FileError(path, "tensors are stored \(text)-endian; only little-endian is read") }
        }
        isTorchScript = zip.byName[prefix + "constants.pkl"] != nil || zip.entries.contains { $0.name.hasPrefix(prefix + "code/") }
        var unpickler = RestrictedUnpickler(file.buffer(try zip.dataRange(pickle)), path: path, entryName: pickle.name)
        let root = try unpickler.load()

        var found: [(String, TorchTensorReference)] = []
        Self.collectTensors(root, name: "", into: &found)
        var entries: [String: Entry] = [:]
        for (name, reference) in found {
            guard entries[name] == nil else { throw FileError(path, "two tensors are both named '\(name)'") }
            entries[name] = try Self.entry(name, reference, zip: zip, prefix: prefix, path: path)
        }
        self.entries = entries
    }

    /// Tensors under dict keys and module attributes; lists and tuples by index. Other values
    /// (numbers, strings, e.g. an epoch count) are skipped. Depth is bounded by the unpickler.
    private static func collectTensors(_ value: PickleValue, name: String, into found: inout [(String, TorchTensorReference)]) {
        func join(_ key: String) -> String { name.isEmpty ? key : name + "." + key }
        switch value {
        case .tensor(let t): found.append((name, t))
        case .dict(let d): collect(d, join, &found)
        case .object(let o): if let a = o.attributes { collect(a, join, &found) }
        case .list(let l): for (i, v) in l.items.enumerated() { collectTensors(v, name: join(String(i)), into: &found) }
        case .tuple(let t): for (i, v) in t.items.enumerated() { collectTensors(v, name: join(String(i)), into: &found) }
        default: break
        }
    }

    private static func collect(_ d: PickleDict, _ join: (String) -> String, _ found: inout [(String, TorchTensorReference)]) {
        for (key, value) in d.pairs {
            switch key {
            case .string(let s): collectTensors(value, name: join(s), into: &found)
            case .int(let n): collectTensors(value, name: join(String(n)), into: &found)
            default: continue
            }
        }
    }

    /// Checks the storage's entry against its declared length and the view against the storage.
    private static func entry(_ name: String, _ t: TorchTensorReference, zip: ZipDirectory, prefix: String, path: String) throws -> Entry {
        let s = t.storage
        let entryName = prefix + "data/" + s.key
        guard let stored = zip.byName[entryName] else {
            throw FileError(path, "tensor '\(name)': its storage '\(entryName)' is missing from the archive")
        }
        let range = try zip.dataRange(stored)
        let (declared, overflow) = s.elementCount.multipliedReportingOverflow(by: s.dtype.size)
        guard !overflow, declared == range.count else {
            throw FileError(path, "tensor '\(name)': storage '\(entryName)' declares \(s.elementCount) \(s.dtype.displayName) elements (\(overflow ? "too many" : String(declared)) bytes) but holds \(range.count) bytes")
        }
        guard t.shape.count == t.strides.count, t.shape.allSatisfy({ $0 >= 0 }), t.strides.allSatisfy({ $0 >= 0 }), t.offset >= 0 else {
            throw FileError(path, "tensor '\(name)': size \(t.shape), stride \(t.strides) and offset \(t.offset) are inconsistent or negative")
        }
        var elements = 1, last = t.offset
        for (n, stride) in Swift.zip(t.shape, t.strides) {
            let (e, o1) = elements.multipliedReportingOverflow(by: n)
            let (step, o2) = max(n - 1, 0).multipliedReportingOverflow(by: stride)
            let (l, o3) = last.addingReportingOverflow(step)
            guard !o1, !o2, !o3 else { throw FileError(path, "tensor '\(name)': size \(t.shape) overflows") }
            elements = e
            last = l
        }
        if elements > 0, last >= s.elementCount {
            throw FileError(path, "tensor '\(name)': size \(t.shape) with stride \(t.strides) from offset \(t.offset) reaches element \(last) of its storage, which holds \(s.elementCount) (the shape lies, or the file is damaged)")
        }
        return Entry(name: name, dtype: s.dtype, shape: t.shape, strides: t.strides, offset: t.offset, storageBytes: range)
    }

    public func contains(_ name: String) -> Bool { entries[name] != nil }

    public func entry(_ name: String) throws -> Entry {
        guard let e = entries[name] else { throw FileError(path, "tensor '\(name)' is missing") }
        return e
    }

    public func shape(of name: String) throws -> [Int] { try entry(name).shape }

    public func tensor(_ name: String, shape expectedShape: [Int]?) throws -> Tensor {
        let e = try entry(name)
        if let expectedShape, expectedShape != e.shape {
            throw FileError(path, "tensor '\(name)' has shape \(e.shape), expected \(expectedShape)")
        }
        guard e.dtype.isFloatingPoint else {
            throw FileError(path, "tensor '\(name)' has dtype \(e.dtype.displayName), which cannot be read as floats")
        }
        let base = file.bytes + e.storageBytes.lowerBound
        let contiguous = Self.contiguousStrides(e.shape) == e.strides || e.count <= 1
        let first = base + e.offset &* e.dtype.size
        if e.dtype == .float32, contiguous, Int(bitPattern: first) % MemoryLayout<Float>.alignment == 0 {
            let pointer = UnsafeMutablePointer(mutating: first.assumingMemoryBound(to: Float.self))
            return try Tensor(storage: TensorStorage(borrowing: pointer, count: e.count, owner: self), shape: e.shape)
        }
        let out = Tensor(zeros: e.shape)
        if contiguous, e.dtype == .float16 || e.dtype == .bfloat16, Int(bitPattern: first) % 2 == 0 {
            Self.widen(first.assumingMemoryBound(to: UInt16.self), e.dtype, count: e.count, into: out.pointer)
            return out
        }
        let convert = Self.converter(e.dtype)
        if contiguous {
            let o = out.pointer
            for i in 0..<e.count { o[i] = convert(first, i) }
        } else {
            // Odometer over the view's indices (a transposed or sliced tensor saved as is).
            var index = [Int](repeating: 0, count: e.shape.count)
            var source = e.offset
            for i in 0..<e.count {
                out.pointer[i] = convert(base, source)
                var d = e.shape.count - 1
                while d >= 0 {
                    index[d] += 1
                    source += e.strides[d]
                    if index[d] < e.shape[d] { break }
                    source -= e.strides[d] * e.shape[d]
                    index[d] = 0
                    d -= 1
                }
            }
        }
        return out
    }

    private static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count), step = 1
        for d in shape.indices.reversed() {
            strides[d] = step
            step *= max(shape[d], 1)
        }
        return strides
    }

    /// float16 or bfloat16 → float32 (OpenAI's CLIP files are float16): plain typed loops the
    /// compiler vectorises (F16C conversions on the x86-64-v3 build), split over the workers —
    /// a ViT-L vision tower is 300 M values, and the per-element path below takes seconds on it.
    private static func widen(_ source: UnsafePointer<UInt16>, _ dtype: TorchDType, count: Int, into out: UnsafeMutablePointer<Float>) {
        nonisolated(unsafe) let source = source, out = out
        Parallel.forChunks(count) { range in
            if dtype == .float16 {
                for i in range { out[i] = Float(Float16(bitPattern: source[i])) }
            } else {
                for i in range { out[i] = Float(bitPattern: UInt32(source[i]) &<< 16) }
            }
        }
    }

    /// Element `i` (counted from `base`) as a Float.
    private static func converter(_ dtype: TorchDType) -> (UnsafeRawPointer, Int) -> Float {
        switch dtype {
        case .float32: { $0.loadUnaligned(fromByteOffset: 4 &* $1, as: Float.self) }
        case .float16: { Float(Float16(bitPattern: $0.loadUnaligned(fromByteOffset: 2 &* $1, as: UInt16.self))) }
        case .bfloat16: { Float(bitPattern: UInt32($0.loadUnaligned(fromByteOffset: 2 &* $1, as: UInt16.self)) &<< 16) }
        case .float64: { Float($0.loadUnaligned(fromByteOffset: 8 &* $1, as: Double.self)) }
        default: { _, _ in .nan }
        }
    }
}
