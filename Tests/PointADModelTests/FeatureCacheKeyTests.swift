import CLIP
import Foundation
import PointADModel
import PointADSupport
import Rendering
import Testing
import TensorCore
import TestSupport

/// What must and must not invalidate the caches of `--cache`: other prompts reuse the views;
/// another model, other layers or DPAM layer, or other views miss; the built-in prompts' text
/// features are kept per model and read back bit-identical.
@Suite("feature cache keys")
struct FeatureCacheKeyTests {
    func detector(model: URL = DetectorTests.model, cache: URL?, prompts: PromptSource, dpamLayer: Int = 3,
                  layers: LayerSelection = .paper) throws -> Detector {
        var s = DetectorSettings(render: RenderSettings(size: 56, supersampling: 2))
        s.dpamLayer = dpamLayer
        s.layers = layers
        s.featureCache = cache
        return try Detector(model: model, promptSource: prompts, settings: s)
    }

    func promptsFile(_ directory: URL, seed: UInt64) throws -> PromptSource {
        let url = directory.appendingPathComponent("prompts-\(seed).safetensors")
        try HierarchicalPrompts(rendering: PromptSet.random(contextLength: 12, width: 64, depth: 3, deepLength: 4, seed: seed)).write(to: url)
        return .file(url)
    }

    @Test("another model folder, DPAM layer or layer selection misses; other prompts hit")
    func viewKeys() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cache = directory.appendingPathComponent("cache"), cloud = DetectorTests.sphere(500)
        let a = try promptsFile(directory, seed: 1), b = try promptsFile(directory, seed: 2)
        let first = try detector(cache: cache, prompts: a)
        _ = try first.score(cloud)
        #expect(first.featureCache?.misses == 1)

        let otherPrompts = try detector(cache: cache, prompts: b)
        _ = try otherPrompts.score(cloud)
        #expect(otherPrompts.featureCache?.hits == 1 && otherPrompts.featureCache?.misses == 0)

        // The same weights in another folder are another model as far as the cache knows.
        let copy = directory.appendingPathComponent("model-copy")
        try FileManager.default.copyItem(at: DetectorTests.model, to: copy)
        let otherModel = try detector(model: copy, cache: cache, prompts: b)
        _ = try otherModel.score(cloud)
        #expect(otherModel.featureCache?.hits == 0 && otherModel.featureCache?.misses == 1)

        let otherDPAM = try detector(cache: cache, prompts: b, dpamLayer: 2)
        _ = try otherDPAM.score(cloud)
        #expect(otherDPAM.featureCache?.hits == 0 && otherDPAM.featureCache?.misses == 1)

        let otherLayers = try detector(cache: cache, prompts: b, layers: try LayerSelection(parsing: "1,2"))
        _ = try otherLayers.score(cloud)
        #expect(otherLayers.featureCache?.hits == 0 && otherLayers.featureCache?.misses == 1)
    }

    @Test("built-in prompts: text features cached once per model, read back bit-identical")
    func builtInPromptsCached() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cache = directory.appendingPathComponent("cache"), cloud = DetectorTests.sphere(400)
        func promptEntries() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasPrefix("prompts-") }.sorted()
        }
        let uncached = try detector(cache: nil, prompts: .builtIn).score(cloud)
        let first = try detector(cache: cache, prompts: .builtIn).score(cloud)
        let entries = try promptEntries()
        #expect(entries.count == 1)
        let second = try detector(cache: cache, prompts: .builtIn).score(cloud)
        #expect(first.pointScores == uncached.pointScores && second.pointScores == uncached.pointScores)
        #expect(second.objectScore == uncached.objectScore)

        // The entry is what the second detector read: with the two sides swapped in it, the scores change.
        let url = cache.appendingPathComponent(entries[0])
        let stored = try SafetensorsFile(contentsOf: url)
        let means = try stored.tensor("means").toArray(), d = means.count / 2
        var writer = SafetensorsWriter(metadata: stored.metadata)
        try writer.add("means", Tensor(shape: [2, d], values: Array(means[d...] + means[..<d])))
        try writer.write(to: url)
        let swapped = try detector(cache: cache, prompts: .builtIn).score(cloud)
        #expect(swapped.pointScores != uncached.pointScores)

        // A damaged entry is recomputed and replaced.
        try Data("damaged".utf8).write(to: url)
        let repaired = try detector(cache: cache, prompts: .builtIn).score(cloud)
        #expect(repaired.pointScores == uncached.pointScores)
        #expect(try SafetensorsFile(contentsOf: url).tensor("means").shape == [2, d])

        // Another model folder gets its own entry.
        let copy = directory.appendingPathComponent("model-copy")
        try FileManager.default.copyItem(at: DetectorTests.model, to: copy)
        _ = try detector(model: copy, cache: cache, prompts: .builtIn)
        #expect(try promptEntries().count == 2)
    }
}
