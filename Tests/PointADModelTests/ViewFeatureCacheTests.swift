import CLIP
import Foundation
import PointADModel
import PointADSupport
import PointClouds
import Rendering
import Testing
import TensorCore
import TestSupport

/// The vision-output cache on the authors' tiny CLIP: a second detector with other prompts reuses
/// the first one's features and scores exactly as a detector without a cache; a changed cloud, a
/// changed setting or a damaged entry is computed afresh.
@Suite("view feature cache")
struct ViewFeatureCacheTests {
    func detector(_ directory: URL, cache: URL?, promptSeed: UInt64, size: Int = 56) throws -> Detector {
        let url = directory.appendingPathComponent("prompts-\(promptSeed).safetensors")
        if !FileManager.default.fileExists(atPath: url.path) {
            let rendering = PromptSet.random(contextLength: 12, width: 64, depth: 3, deepLength: 4, seed: promptSeed)
            try HierarchicalPrompts(rendering: rendering, geometry: nil).write(to: url)
        }
        var s = DetectorSettings(render: RenderSettings(size: size, supersampling: 2))
        s.dpamLayer = 3
        s.featureCache = cache
        return try Detector(model: DetectorTests.model, prompts: url, settings: s)
    }

    @Test("other prompts from the cache: same scores as without it, the tower not run")
    func reuse() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cacheFolder = directory.appendingPathComponent("cache")
        let cloud = DetectorTests.sphere(800)

        let first = try detector(directory, cache: cacheFolder, promptSeed: 1)
        _ = try first.score(cloud)
        #expect(first.featureCache?.misses == 1 && first.featureCache?.hits == 0)
        let entries = try FileManager.default.contentsOfDirectory(atPath: cacheFolder.path).filter { $0.hasSuffix(".safetensors") }
        #expect(entries.count == 1)

        let cached = try detector(directory, cache: cacheFolder, promptSeed: 7)
        let fromCache = try cached.score(cloud)
        #expect(cached.featureCache?.hits == 1 && cached.featureCache?.misses == 0)
        let uncached = try detector(directory, cache: nil, promptSeed: 7).score(cloud)
        #expect(fromCache.pointScores == uncached.pointScores)
        #expect(fromCache.objectScore == uncached.objectScore)

        // A different cloud is a different entry.
        var moved = cloud
        moved.positions[0] += SIMD3(0.05, 0, 0)
        _ = try cached.score(moved)
        #expect(cached.featureCache?.misses == 1)
    }

    @Test("a different render size misses; a damaged entry is recomputed and replaced")
    func invalidation() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cacheFolder = directory.appendingPathComponent("cache")
        let cloud = DetectorTests.sphere(600)
        let a = try detector(directory, cache: cacheFolder, promptSeed: 1)
        let reference = try a.score(cloud)

        // Views drawn at another size are other pixels: not reused.
        let other = try detector(directory, cache: cacheFolder, promptSeed: 1, size: 42)
        _ = try other.score(cloud)
        #expect(other.featureCache?.hits == 0 && other.featureCache?.misses == 1)

        // Truncate every entry: each is recomputed, and the scores do not change.
        for name in try FileManager.default.contentsOfDirectory(atPath: cacheFolder.path) {
            try Data("not a cache".utf8).write(to: cacheFolder.appendingPathComponent(name))
        }
        let b = try detector(directory, cache: cacheFolder, promptSeed: 1)
        let again = try b.score(cloud)
        #expect(b.featureCache?.hits == 0 && b.featureCache?.misses == 1)
        #expect(again.pointScores == reference.pointScores)
        let c = try detector(directory, cache: cacheFolder, promptSeed: 1)
        _ = try c.score(cloud)
        #expect(c.featureCache?.hits == 1)
    }

    @Test("a cache path that is a file is refused naming it")
    func refusesFile() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("plain-file")
        try Data("x".utf8).write(to: file)
        #expect { try ViewFeatureCache(directory: file, modelIdentity: "m") } throws: { "\($0)".contains(file.path) }
    }
}
