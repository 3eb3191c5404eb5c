import Foundation
import PointClouds
import Testing
import TestSupport

/// `pointad score` on a raw MVTec 3D-AD-layout scan applies the reference (BTF) preprocessing by
/// default, as `eval` and `train` do: the table plane goes, the scored points are the ones Open3D's
/// run of the reference script kept, and the result says what was applied.
@Suite("pointad score --preprocess")
struct ScorePreprocessTests {
    static let model = TestPaths.fixture("anomalyclip-tiny").appendingPathComponent("model")
    static let raw = TestPaths.fixture("mvtec-preprocess").appendingPathComponent("raw/torus0/test/good/xyz/000.tiff")
    static let expected = TestPaths.fixture("mvtec-preprocess").appendingPathComponent("expected/torus0/test/good/xyz/000.tiff")

    func score(_ extra: [String]) throws -> [String: Any] {
        let r = try runPointad(["score", Self.raw.path, "--model", Self.model.path, "--json", "--quiet"] + extra)
        #expect(r.status == 0, "\(r.stderr)")
        let array = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        return try #require(array.first)
    }

    @Test("btf by default: the reference's kept points are scored, and the JSON records it")
    func preprocessedByDefault() throws {
        // Points the reference (Open3D) kept, counted from its output file, not by pointad's preprocessing.
        let kept = try XYZTIFFFile.read(Self.expected).pointCloud(source: nil).count
        let rawCount = try XYZTIFFFile.read(Self.raw).pointCloud(source: nil).count
        #expect(kept < rawCount / 2, "fixture: the table should be most of the raw scan")

        let btf = try score([])
        let points = try #require(btf["points"] as? Int)
        #expect(abs(points - kept) <= kept / 100, "scored \(points) points, the reference kept \(kept)")
        #expect((btf["run"] as? [String: Any])?["preprocess"] as? String == "btf")

        let none = try score(["--preprocess", "none"])
        #expect(none["points"] as? Int == rawCount)
        #expect((none["run"] as? [String: Any])?["preprocess"] as? String == "none")
    }
}
