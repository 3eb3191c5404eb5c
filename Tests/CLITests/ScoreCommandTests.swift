import CLIP
import Foundation
import Testing
import TestSupport

/// `pointad score` end to end on the PointAD authors' tiny CLIP with random prompts: a folder of
/// two clouds, JSON output, the files written per cloud, and a clear error for a bad prompts file.
@Suite("pointad score")
struct ScoreCommandTests {
    static let model = TestPaths.fixture("anomalyclip-tiny").appendingPathComponent("model")

    func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let r = try runPointad(arguments)
        return (r.status, r.stdout, r.stderr)
    }

    /// A small box surface as a PLY.
    func writeCloud(_ url: URL, seed: UInt64) throws {
        let points = randomFloats(600 * 3, seed: seed).chunked3().map { p -> SIMD3<Float> in
            // Push each random point onto the nearest face of the unit cube.
            var q = p
            let axis = [abs(p.x), abs(p.y), abs(p.z)].enumerated().max { $0.element < $1.element }!.offset
            q[axis] = p[axis] < 0 ? -1 : 1
            return q
        }
        let header = "ply\nformat ascii 1.0\nelement vertex \(points.count)\nproperty float x\nproperty float y\nproperty float z\nend_header\n"
        try Data((header + points.map { "\($0.x) \($0.y) \($0.z)\n" }.joined()).utf8).write(to: url)
    }

    @Test("a folder of clouds: JSON summaries, PLY + nine overlays + JSON per cloud")
    func folder() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let clouds = dir.appendingPathComponent("clouds"), out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: clouds, withIntermediateDirectories: true)
        try writeCloud(clouds.appendingPathComponent("a.ply"), seed: 1)
        try writeCloud(clouds.appendingPathComponent("b.ply"), seed: 2)
        let prompts = dir.appendingPathComponent("prompts.safetensors")
        try PromptsFile.write(PromptSet.random(contextLength: 12, width: 64, depth: 3, deepLength: 4, seed: 3), to: prompts)
        let r = try run(["score", clouds.path, "--model", Self.model.path, "--prompts", prompts.path, "--out", out.path, "--json"])
        #expect(r.status == 0, "\(r.error)")
        let array = try JSONSerialization.jsonObject(with: Data(r.output.utf8)) as? [[String: Any]]
        #expect(array?.count == 2)
        for entry in array ?? [] {
            let score = entry["objectScore"] as? Double ?? -1
            #expect(score >= 0 && score <= 1)
        }
        for stem in ["a", "b"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("\(stem).ply").path))
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("\(stem).json").path))
            #expect((0..<9).allSatisfy { FileManager.default.fileExists(atPath: out.appendingPathComponent("\(stem)_view\($0).png").path) })
        }
        // One report page over both clouds, showing each cloud's sheet.
        let page = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(page.contains("src=\"a_overlays.png\"") && page.contains("src=\"b_overlays.png\""))
    }

    @Test("a prompts file that is not one fails with its path named")
    func badPrompts() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeCloud(dir.appendingPathComponent("a.ply"), seed: 1)
        let bogus = dir.appendingPathComponent("bogus.safetensors")
        try Data("not safetensors".utf8).write(to: bogus)
        let r = try run(["score", dir.appendingPathComponent("a.ply").path, "--model", Self.model.path, "--prompts", bogus.path])
        #expect(r.status != 0)
        #expect(r.error.contains(bogus.path), "\(r.error)")
    }
}

extension Array where Element == Float {
    func chunked3() -> [SIMD3<Float>] { stride(from: 0, to: count - 2, by: 3).map { SIMD3(self[$0], self[$0 + 1], self[$0 + 2]) } }
}
