import Foundation
import PointADSupport
import TensorCore

/// A checkpoint split into shards, as Hugging Face saves large models:
/// `model.safetensors.index.json` or `pytorch_model.bin.index.json` maps each tensor name to the
/// shard file (beside the index) that holds it. Every shard is opened and checked against the map:
/// a listed tensor missing from its shard is an error naming both.
public final class ShardedTensors: TensorSource, @unchecked Sendable {
    public let path: String
    private let shardOf: [String: any TensorSource]

    public var names: [String] { shardOf.keys.sorted() }

    public init(index url: URL) throws {
        path = url.path
        guard let data = FileManager.default.contents(atPath: url.path) else { throw FileError(url.path, "cannot read the shard index") }
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let map = root["weight_map"] as? [String: Any] else {
            throw FileError(url.path, "not a shard index: no \"weight_map\" object")
        }
        let folder = url.deletingLastPathComponent()
        var shards: [String: any TensorSource] = [:]
        var shardOf: [String: any TensorSource] = [:]
        for (name, value) in map {
            guard let file = value as? String, !file.contains("/"), !file.hasPrefix(".") else {
                throw FileError(url.path, "tensor '\(name)': shard must be a file name beside the index")
            }
            if shards[file] == nil { shards[file] = try TensorFiles.open(folder.appendingPathComponent(file)) }
            let shard = shards[file]!
            guard shard.contains(name) else { throw FileError(shard.path, "tensor '\(name)' is listed in \(url.lastPathComponent) but missing from this shard") }
            shardOf[name] = shard
        }
        self.shardOf = shardOf
    }

    public func contains(_ name: String) -> Bool { shardOf[name] != nil }

    private func shard(_ name: String) throws -> any TensorSource {
        guard let s = shardOf[name] else { throw FileError(path, "tensor '\(name)' is missing (not in the index)") }
        return s
    }

    public func shape(of name: String) throws -> [Int] { try shard(name).shape(of: name) }
    public func tensor(_ name: String, shape: [Int]?) throws -> Tensor { try shard(name).tensor(name, shape: shape) }
}
