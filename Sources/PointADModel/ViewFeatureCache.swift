import CLIP
import Foundation
import PointADSupport
import TensorCore

/// A folder of vision-tower outputs, so scoring the same data again (other prompts, another
/// checkpoint of the same run, `eval` after `score`) skips the frozen CLIP pass, which is ~95% of
/// the work.
///
/// An entry is named by a hash of exactly what decides the features: the model's identity, the
/// blocks read, the DPAM layer and the preprocessed pixels fed to the tower. Hashing the pixels
/// rather than listing settings means any change upstream — data, normals, views, renderer or
/// preprocessing options, including ones added later — makes a new entry by itself; the price is
/// that the cheap steps before the tower (normals, rendering) still run. Entries are safetensors
/// files (`layer.<block>` [images, patches, D] and `class` [images, D], both L2-normalised),
/// written atomically and read memory-mapped; the key's fields are repeated in the metadata and
/// checked on reading, and an unreadable entry is recomputed and replaced.
public final class ViewFeatureCache: @unchecked Sendable {
    static let format = "pointad-view-features-1"

    public let directory: URL
    public let modelIdentity: String
    private let lock = NSLock()
    private var counts = (hits: 0, misses: 0)

    /// Creates the folder if needed. `modelIdentity` is `ModelFolder.identity` of the weights.
    public init(directory: URL, modelIdentity: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw FileError(directory.path, "feature cache path exists and is not a folder") }
        } else {
            do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
                throw FileError(directory.path, "cannot create the feature cache folder: \(error.localizedDescription)")
            }
        }
        self.directory = directory
        self.modelIdentity = modelIdentity
    }

    /// Batches found in the cache and batches computed, since this cache was opened.
    public var hits: Int { lock.withLock { counts.hits } }
    public var misses: Int { lock.withLock { counts.misses } }

    /// The features of `pixels` ([images, 3, H, W], normalised) for `blocks` and `dpamLayer`:
    /// read from the cache when present, otherwise made by `compute` and stored.
    public func features(pixels: Tensor, blocks: [Int], dpamLayer: Int?, compute: () throws -> [ViewFeatures]) throws -> [ViewFeatures] {
        let name = entryName(pixels: pixels, blocks: blocks, dpamLayer: dpamLayer)
        let url = directory.appendingPathComponent(name + ".safetensors")
        let expected = metadata(blocks: blocks, dpamLayer: dpamLayer, images: pixels.shape[0])
        if FileManager.default.fileExists(atPath: url.path), let cached = try? read(url, expected: expected, blocks: blocks) {
            lock.withLock { counts.hits += 1 }
            return cached
        }
        let computed = try compute()
        try write(computed, to: url, metadata: expected, blocks: blocks)
        lock.withLock { counts.misses += 1 }
        return computed
    }

    /// 32 hex digits over the format, model, blocks, DPAM layer, pixel shape and pixel values.
    func entryName(pixels: Tensor, blocks: [Int], dpamLayer: Int?) -> String {
        var hash = StableHash()
        hash.combine(Self.format)
        hash.combine(modelIdentity)
        hash.combine("blocks \(blocks) dpam \(dpamLayer.map(String.init) ?? "none") shape \(pixels.shape)")
        hash.combine(bytes: UnsafeRawBufferPointer(start: pixels.pointer, count: pixels.count * 4))
        return hash.hex
    }

    func metadata(blocks: [Int], dpamLayer: Int?, images: Int) -> [String: String] {
        ["format": Self.format, "model": modelIdentity, "blocks": blocks.map(String.init).joined(separator: ","),
         "dpam_layer": dpamLayer.map(String.init) ?? "none", "images": String(images)]
    }

    func write(_ features: [ViewFeatures], to url: URL, metadata: [String: String], blocks: [Int]) throws {
        guard let first = features.first else { return }
        let patches = first.layers[0].shape[0], d = first.width
        var writer = SafetensorsWriter(metadata: metadata)
        for (l, block) in blocks.enumerated() {
            try writer.add("layer.\(block)", shape: [features.count, patches, d]) { buffer in
                for (i, f) in features.enumerated() {
                    UnsafeMutableRawPointer(buffer.baseAddress! + i * patches * d).copyMemory(from: f.layers[l].pointer, byteCount: patches * d * 4)
                }
            }
        }
        try writer.add("class", shape: [features.count, d]) { buffer in
            for (i, f) in features.enumerated() { (buffer.baseAddress! + i * d).update(from: f.classEmbedding.pointer, count: d) }
        }
        try writer.write(to: url)
    }

    /// The entry's features borrowed from the mapping, or a throw when it is not what `expected` says.
    func read(_ url: URL, expected: [String: String], blocks: [Int]) throws -> [ViewFeatures] {
        let file = try SafetensorsFile(contentsOf: url)
        guard file.metadata == expected else { throw FileError(url.path, "feature cache entry made for other settings") }
        let images = Int(expected["images"] ?? "") ?? 0
        let classes = try file.tensor("class")
        guard classes.rank == 2, classes.shape[0] == images else { throw FileError(url.path, "class tokens of shape \(classes.shape)") }
        let d = classes.shape[1]
        let layers = try blocks.map { block -> Tensor in
            let t = try file.tensor("layer.\(block)")
            guard t.rank == 3, t.shape[0] == images, t.shape[2] == d else { throw FileError(url.path, "layer \(block) of shape \(t.shape)") }
            return t
        }
        return try (0..<images).map { i in
            try ViewFeatures(
                layers: try layers.map { t in try Tensor(storage: t.storage, offset: t.offset + i * t.shape[1] * d, shape: [t.shape[1], d]) },
                classEmbedding: try classes.row(i))
        }
    }
}
