import Foundation
import PointADSupport
import TensorCore

/// The frozen per-view features of a training set in one memory-mapped file, so the vision tower
/// runs once per view, not once per epoch. Training reads the features in place (no copies).
///
/// Layout: the magic "PADFC001", then 64-byte-aligned tensor blocks, then a JSON footer (the key,
/// and per example its name, labels and each block's dtype, shape and offset), its length as a
/// little-endian UInt64 and the magic "PADFCEND". Written front to back as examples are produced
/// (features of a large set never sit in memory together) and atomically (temp file + rename).
public final class FeatureCache: @unchecked Sendable {
    static let headMagic = Array("PADFC001".utf8)
    static let tailMagic = Array("PADFCEND".utf8)
    static let format = "pointad-feature-cache"
    static let alignment = 64

    /// A block's place in the file.
    struct Block: Codable, Equatable {
        var dtype: String
        var shape: [Int]
        var offset: Int
        var count: Int { shape.reduce(1, *) }
        var byteCount: Int { count * 4 }
    }

    struct ExampleEntry: Codable {
        var name: String
        var objectLabel: Int
        var imageSize: Int
        var blocks: [String: Block]
    }

    struct Footer: Codable {
        var format: String
        var key: FeatureCacheKey
        var examples: [ExampleEntry]
    }

    public let url: URL
    public let key: FeatureCacheKey
    let entries: [ExampleEntry]
    private let file: MappedFile
    private let base: UnsafeMutableRawPointer

    public var count: Int { entries.count }
    public var names: [String] { entries.map(\.name) }

    /// Opens an existing cache; throws naming the file if it is damaged.
    public init(contentsOf url: URL) throws {
        let path = url.path
        let file = try MappedFile(url)
        let size = file.count
        guard size >= 24, Array(file.buffer(0..<8)) == Self.headMagic, Array(file.buffer((size - 8)..<size)) == Self.tailMagic else {
            throw FileError(path, "not a pointad feature cache (bad magic or truncated)")
        }
        let footerLength = Int(truncatingIfNeeded: UInt64(littleEndian: file.bytes.loadUnaligned(fromByteOffset: size - 16, as: UInt64.self)))
        guard footerLength > 0, footerLength <= size - 24 else { throw FileError(path, "feature cache footer length \(footerLength) does not fit a \(size)-byte file") }
        let footer: Footer
        do { footer = try JSONDecoder().decode(Footer.self, from: Data(file.buffer((size - 16 - footerLength)..<(size - 16)))) } catch {
            throw FileError(path, "unreadable feature cache footer: \(error)")
        }
        guard footer.format == Self.format else { throw FileError(path, "feature cache of format '\(footer.format)'") }
        let dataEnd = size - 16 - footerLength
        for e in footer.examples {
            for (name, b) in e.blocks {
                guard ["f32", "i32"].contains(b.dtype), b.shape.allSatisfy({ $0 >= 0 }), b.offset >= 8, b.offset % 4 == 0,
                      b.shape.reduce(1, { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }) <= (dataEnd - b.offset) / 4
                else { throw FileError(path, "feature cache block '\(e.name).\(name)' lies outside the file or has a bad type") }
            }
        }
        self.url = url
        self.file = file
        key = footer.key
        entries = footer.examples
        // Tensors borrow the read-only mapping; TensorStorage wants a mutable pointer, and nothing writes through it.
        base = UnsafeMutableRawPointer(mutating: file.bytes)
    }

    /// The cache at `url` when it exists and was made with `key`; nil (and a reason) otherwise.
    public static func reusable(at url: URL, key: FeatureCacheKey) -> (cache: FeatureCache?, reason: String) {
        guard FileManager.default.fileExists(atPath: url.path) else { return (nil, "no cache yet") }
        do {
            let cache = try FeatureCache(contentsOf: url)
            if let field = cache.key.firstDifference(from: key) { return (nil, "\(field) changed") }
            return (cache, "up to date")
        } catch {
            return (nil, "unreadable (\(error))")
        }
    }

    /// Writes a cache of `count` examples; `produce(i)` makes example i (called in order, so only
    /// one example's features are in memory at a time).
    public static func build(at url: URL, key: FeatureCacheKey, count: Int, names: [String],
                             produce: (Int) throws -> TrainingExample) throws {
        guard names.count == count else { throw UsageError("feature cache: \(names.count) names for \(count) examples") }
        var examples: [ExampleEntry] = []
        try AtomicFile.write(to: url) { stream in
            var offset = 0
            func append(_ bytes: UnsafeRawBufferPointer) throws {
                try stream.write(bytes)
                offset += bytes.count
            }
            func pad() throws {
                let extra = (alignment - offset % alignment) % alignment
                if extra > 0 { try [UInt8](repeating: 0, count: extra).withUnsafeBytes { try append($0) } }
            }
            try headMagic.withUnsafeBytes { try append($0) }
            for i in 0..<count {
                let e = try produce(i)
                var blocks: [String: Block] = [:]
                func floats(_ name: String, _ t: Tensor) throws {
                    try pad()
                    blocks[name] = Block(dtype: "f32", shape: t.shape, offset: offset)
                    try append(UnsafeRawBufferPointer(start: t.pointer, count: t.count * 4))
                }
                func ints(_ name: String, _ values: [Int32], shape: [Int]) throws {
                    try pad()
                    blocks[name] = Block(dtype: "i32", shape: shape, offset: offset)
                    try values.withUnsafeBytes { try append($0) }
                }
                try floats("patch", e.patchTokens)
                try floats("class", e.classTokens)
                let bp = e.backProjection
                try ints("pixels", bp.pixels.flatMap { $0 }, shape: [bp.viewCount, bp.pointCount])
                try ints("labels", e.pointLabels.map(Int32.init), shape: [e.pointLabels.count])
                let pixels = e.imageSize * e.imageSize
                var mask: [Int32] = []
                for (v, m) in e.pixelMasks.enumerated() { for (p, x) in m.enumerated() where x != 0 { mask.append(Int32(v * pixels + p)) } }
                try ints("mask", mask, shape: [mask.count])
                if let g = e.geometry {
                    try ints("geometry.points", g.points.map(Int32.init), shape: [g.points.count])
                    try floats("geometry.features", g.features)
                }
                examples.append(ExampleEntry(name: names[i], objectLabel: e.objectLabel, imageSize: e.imageSize, blocks: blocks))
            }
            let footer = try JSONEncoder.sorted.encode(Footer(format: format, key: key, examples: examples))
            try footer.withUnsafeBytes { try append($0) }
            var length = UInt64(footer.count).littleEndian
            try withUnsafeBytes(of: &length) { try append($0) }
            try tailMagic.withUnsafeBytes { try append($0) }
        }
    }

    /// Example `index`, its features read in place from the mapping.
    public func example(_ index: Int) throws -> TrainingExample {
        guard index >= 0 && index < entries.count else { throw UsageError("feature cache has \(entries.count) examples, asked for \(index)") }
        let e = entries[index]
        func block(_ name: String, dtype: String) throws -> Block {
            guard let b = e.blocks[name], b.dtype == dtype else { throw FileError(url.path, "example '\(e.name)' has no \(dtype) block '\(name)'") }
            return b
        }
        func floats(_ name: String) throws -> Tensor {
            let b = try block(name, dtype: "f32")
            let storage = TensorStorage(borrowing: (base + b.offset).assumingMemoryBound(to: Float.self), count: b.count, owner: self)
            return try Tensor(storage: storage, shape: b.shape)
        }
        func ints(_ name: String) throws -> (shape: [Int], values: [Int32]) {
            let b = try block(name, dtype: "i32")
            return (b.shape, Array(UnsafeBufferPointer(start: (base + b.offset).assumingMemoryBound(to: Int32.self), count: b.count)))
        }
        let pixels = try ints("pixels"), labels = try ints("labels").values, mask = try ints("mask").values
        guard pixels.shape.count == 2 else { throw FileError(url.path, "example '\(e.name)': pixel block of shape \(pixels.shape)") }
        let views = pixels.shape[0], points = pixels.shape[1], perView = e.imageSize * e.imageSize
        var masks = [[UInt8]](repeating: [UInt8](repeating: 0, count: perView), count: views)
        for m in mask {
            let v = Int(m) / max(perView, 1), p = Int(m) % max(perView, 1)
            guard m >= 0, v < views else { throw FileError(url.path, "example '\(e.name)': mask pixel \(m) outside \(views) views") }
            masks[v][p] = 1
        }
        var geometry: GeometryExample?
        if e.blocks["geometry.points"] != nil {
            geometry = try GeometryExample(points: try ints("geometry.points").values.map(Int.init), features: try floats("geometry.features"))
        }
        do {
            return try TrainingExample(
                patchTokens: try floats("patch"), classTokens: try floats("class"), imageSize: e.imageSize, pixelMasks: masks,
                backProjection: try PointBackProjection(pixels: (0..<views).map { Array(pixels.values[($0 * points)..<(($0 + 1) * points)]) },
                                                        pixelsPerView: perView),
                pointLabels: labels.map { $0 != 0 ? 1 : 0 }, objectLabel: e.objectLabel, geometry: geometry)
        } catch let error as TensorError {
            throw FileError(url.path, "example '\(e.name)': \(error)")
        }
    }
}
