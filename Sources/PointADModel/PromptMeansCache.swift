import CLIP
import Foundation
import PointADSupport
import TensorCore

extension ViewFeatureCache {
    static let promptsFormat = "pointad-prompt-means-1"

    /// The normal and abnormal mean embeddings of a fixed sentence ensemble (the built-in
    /// prompts) for this model: read from the cache folder when present, else made by `compute`
    /// and stored. Keyed by the model's identity and every sentence, so other templates or
    /// another model make another entry. The means are stored before `PromptFeatures` normalises
    /// them, so cached and computed features are bit-identical.
    func promptMeans(sentences: [String], compute: () throws -> (normal: [Float], abnormal: [Float])) throws -> (normal: [Float], abnormal: [Float]) {
        var hash = StableHash()
        hash.combine(Self.promptsFormat)
        hash.combine(modelIdentity)
        for sentence in sentences { hash.combine(sentence) }
        let url = directory.appendingPathComponent("prompts-\(hash.hex).safetensors")
        let expected = ["format": Self.promptsFormat, "model": modelIdentity, "sentences": String(sentences.count)]
        if FileManager.default.fileExists(atPath: url.path), let cached = try? readPromptMeans(url, expected: expected) { return cached }
        let means = try compute()
        var writer = SafetensorsWriter(metadata: expected)
        try writer.add("means", Tensor(shape: [2, means.normal.count], values: means.normal + means.abnormal))
        try writer.write(to: url)
        return means
    }

    /// The entry's two rows, or a throw when it was made for something else or is damaged.
    private func readPromptMeans(_ url: URL, expected: [String: String]) throws -> (normal: [Float], abnormal: [Float]) {
        let file = try SafetensorsFile(contentsOf: url)
        guard file.metadata == expected else { throw FileError(url.path, "prompt cache entry made for other settings") }
        let t = try file.tensor("means")
        guard t.rank == 2, t.shape[0] == 2, t.shape[1] > 0 else { throw FileError(url.path, "prompt means of shape \(t.shape)") }
        let values = t.toArray(), d = t.shape[1]
        return (Array(values[..<d]), Array(values[d...]))
    }
}
