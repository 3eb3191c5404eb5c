import Foundation
import PointADSupport
import Testing
import TensorCore
import TestSupport
@testable import Training

@Suite struct FeatureCacheTests {
    static let key = FeatureCacheKey(model: "tiny", imageSize: 16, layers: [4], dpamLayer: 3, renderer: "r1", data: "d1")

    @Test func roundTripsExamplesInPlace() throws {
        let data = SyntheticFeatureData(width: 32, seed: 3)
        let examples = try data.examples(classIndex: 0, count: 3, seed: 4).map { try PromptTrainerTests.withGeometry($0) }
        let url = try TestPaths.temporaryDirectory().appendingPathComponent("features.cache")
        try FeatureCache.build(at: url, key: Self.key, count: 3, names: ["a", "b", "c"]) { examples[$0] }
        let cache = try FeatureCache(contentsOf: url)
        #expect(cache.count == 3 && cache.names == ["a", "b", "c"] && cache.key == Self.key)
        for (i, original) in examples.enumerated() {
            let e = try cache.example(i)
            #expect(e.patchTokens.shape == original.patchTokens.shape && e.patchTokens.toArray() == original.patchTokens.toArray())
            #expect(e.classTokens.toArray() == original.classTokens.toArray())
            #expect(e.pixelMasks == original.pixelMasks && e.pointLabels == original.pointLabels && e.objectLabel == original.objectLabel)
            #expect(e.backProjection.pixels == original.backProjection.pixels)
            #expect(e.geometry?.points == original.geometry?.points && e.geometry?.features.toArray() == original.geometry?.features.toArray())
            // Features are read in place from the mapping, 64-byte aligned.
            #expect(Int(bitPattern: e.patchTokens.pointer) % 64 == 0)
        }
    }

    @Test func reusedOnlyWithTheSameKey() throws {
        let data = SyntheticFeatureData(width: 32, seed: 3)
        let examples = try data.examples(classIndex: 0, count: 1, seed: 4)
        let url = try TestPaths.temporaryDirectory().appendingPathComponent("features.cache")
        #expect(FeatureCache.reusable(at: url, key: Self.key).cache == nil)
        try FeatureCache.build(at: url, key: Self.key, count: 1, names: ["a"]) { examples[$0] }
        #expect(FeatureCache.reusable(at: url, key: Self.key).cache != nil)
        var other = Self.key
        other.renderer = "r2"
        let stale = FeatureCache.reusable(at: url, key: other)
        #expect(stale.cache == nil && stale.reason == "renderer settings changed")
        other = Self.key
        other.layers = [1, 4]
        #expect(FeatureCache.reusable(at: url, key: other).reason == "layers changed")
    }

    @Test func damagedFilesAreRefusedNamingTheFile() throws {
        let data = SyntheticFeatureData(width: 32, seed: 3)
        let examples = try data.examples(classIndex: 0, count: 1, seed: 4)
        let url = try TestPaths.temporaryDirectory().appendingPathComponent("features.cache")
        try FeatureCache.build(at: url, key: Self.key, count: 1, names: ["a"]) { examples[$0] }
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count / 2).write(to: url)
        #expect { try FeatureCache(contentsOf: url) } throws: { ($0 as? FileError)?.path == url.path }
        try Data("not a cache".utf8).write(to: url)
        #expect(throws: FileError.self) { try FeatureCache(contentsOf: url) }
        #expect(FeatureCache.reusable(at: url, key: Self.key).cache == nil)
    }
}
