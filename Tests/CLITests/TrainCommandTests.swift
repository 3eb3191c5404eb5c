import Foundation
import Testing
import TestSupport

/// `pointad train` end to end, in separate processes: a synthetic Real3D-style class with the
/// PointAD authors' tiny CLIP; a run killed after epoch 2 and resumed equals an uninterrupted run
/// byte for byte; bad input is refused before any heavy work.
@Suite("pointad train")
struct TrainCommandTests {
    static let model = TestPaths.fixture("anomalyclip-tiny/model").path

    static func train(_ dir: URL, out: String, epochs: Int, extra: [String] = []) throws -> CommandResult {
        try runPointad(["train", "--model", model, "--data", dir.appendingPathComponent("data").path, "--dataset", "real3d",
                        "--out", dir.appendingPathComponent(out).path, "--cache", dir.appendingPathComponent("features").path,
                        "--epochs", String(epochs), "--batch-size", "2", "--n-ctx", "4", "--deep-depth", "3", "--deep-length", "2",
                        "--threads", "1", "--quiet"] + extra)
    }

    @Test("resume equals an uninterrupted run byte for byte; the checkpoint scores")
    func resume() throws {
        let dir = try TestPaths.temporaryDirectory("train-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let synth = try runPointad(["synth", "--layout", "real3d", "--out", dir.appendingPathComponent("data").path,
                                    "--classes", "1", "--samples", "4", "--points", "1500", "--quiet"])
        #expect(synth.status == 0, "\(synth.stderr)")
        let straight = try Self.train(dir, out: "straight.safetensors", epochs: 3)
        #expect(straight.status == 0, "\(straight.stderr)")
        #expect(straight.stdout.contains("epoch 3:") && straight.stdout.contains("feature cache built"))
        let first = try Self.train(dir, out: "resumed.safetensors", epochs: 2)
        #expect(first.status == 0 && first.stdout.contains("feature cache reused"), "\(first.stderr)")
        let resumed = try Self.train(dir, out: "resumed.safetensors", epochs: 3, extra: ["--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(!resumed.stdout.contains("epoch 1:") && resumed.stdout.contains("epoch 3:"))
        let a = try Data(contentsOf: dir.appendingPathComponent("straight.safetensors"))
        let b = try Data(contentsOf: dir.appendingPathComponent("resumed.safetensors"))
        #expect(a == b)

        // Without --resume or --force an existing checkpoint (here a longer run) is left alone.
        let again = try Self.train(dir, out: "resumed.safetensors", epochs: 1)
        #expect(again.status != 0 && again.stderr.contains("--resume") && again.stderr.contains("--force"), "\(again.stderr)")
        #expect(try Data(contentsOf: dir.appendingPathComponent("resumed.safetensors")) == b)
        let forced = try Self.train(dir, out: "forced.safetensors", epochs: 1)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try Self.train(dir, out: "forced.safetensors", epochs: 1, extra: ["--force"]).status == 0)

        let cloud = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("data").path)
            .compactMap { c -> String? in
                let test = dir.appendingPathComponent("data/\(c)/test")
                return try? FileManager.default.contentsOfDirectory(atPath: test.path).sorted().first.map { test.appendingPathComponent($0).path }
            }.first
        let score = try runPointad(["score", try #require(cloud), "--model", Self.model, "--prompts",
                                    dir.appendingPathComponent("resumed.safetensors").path])
        #expect(score.status == 0, "\(score.stderr)")
    }

    @Test("bad input is refused before any work, naming the problem")
    func badInput() throws {
        let dir = try TestPaths.temporaryDirectory("train-cli-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("data"), withIntermediateDirectories: true)
        let method = try Self.train(dir, out: "x.safetensors", epochs: 1, extra: ["--method", "pointad++"])
        #expect(method.status != 0 && method.stderr.contains("--method"))
        let depth = try Self.train(dir, out: "x.safetensors", epochs: 1, extra: ["--deep-depth", "9"])
        #expect(depth.status != 0 && depth.stderr.contains("deep-prompt depth 9"))
        let weights = try Self.train(dir, out: "x.safetensors", epochs: 1, extra: ["--loss-weights", "pixel=2"])
        #expect(weights.status != 0 && weights.stderr.contains("loss weights"))
        let noModel = try runPointad(["train", "--model", dir.path, "--data", dir.path, "--dataset", "plain", "--out", dir.appendingPathComponent("x").path])
        #expect(noModel.status != 0 && noModel.stderr.contains("config.json"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("features").path))
    }
}
