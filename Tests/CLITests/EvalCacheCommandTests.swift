import CLIP
import Foundation
import Testing
import TestSupport

/// `pointad eval --cache`: a second evaluation of the same data with other prompts reads every
/// view batch from the cache and reports exactly what an uncached evaluation with those prompts does.
@Suite("eval with a feature cache")
struct EvalCacheCommandTests {
    @Test("second eval with other prompts: all batches reused, same results as without the cache")
    func reuse() throws {
        let data = try TestPaths.temporaryDirectory("cli-evalcache-data"), work = try TestPaths.temporaryDirectory("cli-evalcache")
        defer { try? FileManager.default.removeItem(at: data); try? FileManager.default.removeItem(at: work) }
        for (i, name) in ["1_good", "2_good"].enumerated() {
            try EvalCommandTests.write(EvalCommandTests.pcd(EvalCommandTests.cube(seed: UInt64(i + 1))), data.appendingPathComponent("gear/test/\(name).pcd"))
        }
        func prompts(_ seed: UInt64) throws -> String {
            let url = work.appendingPathComponent("prompts\(seed).safetensors")
            try PromptsFile.write(PromptSet.random(contextLength: 12, width: 64, depth: 3, deepLength: 4, seed: seed), to: url)
            return url.path
        }
        let model = TestPaths.fixture("anomalyclip-tiny/model").path
        let cache = work.appendingPathComponent("cache").path
        func eval(_ prompts: String, _ out: String, cached: Bool) throws -> CommandResult {
            try runPointad(["eval", "--dataset", "real3d", "--data", data.path, "--model", model, "--prompts", prompts, "--threads", "1",
                            "--out", work.appendingPathComponent(out).path] + (cached ? ["--cache", cache] : []))
        }
        let first = try eval(try prompts(3), "first", cached: true)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("0 view batch(es) reused, 2 computed"), "\(first.stderr)")
        let second = try eval(try prompts(4), "second", cached: true)
        #expect(second.stderr.contains("2 view batch(es) reused, 0 computed"), "\(second.stderr)")
        let plain = try eval(try prompts(4), "plain", cached: false)
        #expect(plain.status == 0 && !plain.stderr.contains("feature cache"))
        let a = try Data(contentsOf: work.appendingPathComponent("second/samples.csv"))
        #expect(a == (try Data(contentsOf: work.appendingPathComponent("plain/samples.csv"))))
    }
}
