import Foundation
import Testing
import TestSupport

/// `eval` on an MVTec 3D-AD tree renders each class with the authors' point size for it unless
/// `--point-size` is given, and records the size per class in results.json.
@Suite("per-class point sizes in eval")
struct ClassPointSizeCommandTests {
    @Test("cable_gland is drawn at 12 by default, exactly as with --point-size 12, not as with 7")
    func evalUsesTheClassSize() throws {
        let work = try TestPaths.temporaryDirectory("point-size")
        defer { try? FileManager.default.removeItem(at: work) }
        let data = work.appendingPathComponent("data")
        let made = try runPointad(["synth", "--layout", "mvtec3d", "--out", data.path, "--classes", "1", "--samples", "2",
                                   "--width", "96", "--height", "80", "--seed", "3", "--quiet"])
        #expect(made.status == 0, "\(made.stderr)")
        let synthetic = try #require(try FileManager.default.contentsOfDirectory(atPath: data.path).first { !$0.hasSuffix(".json") })
        try FileManager.default.moveItem(at: data.appendingPathComponent(synthetic), to: data.appendingPathComponent("cable_gland"))
        func eval(_ name: String, _ extra: [String]) throws -> (csv: Data, json: [String: Any]) {
            let out = work.appendingPathComponent(name)
            let r = try runPointad(["eval", "--dataset", "mvtec3d", "--data", data.path, "--model", TestPaths.fixture("anomalyclip-tiny/model").path,
                                    "--out", out.path, "--quiet", "--threads", "1", "--no-pictures"] + extra)
            #expect(r.status == 0, "\(r.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("results.json"))) as! [String: Any]
            return (try Data(contentsOf: out.appendingPathComponent("samples.csv")), json)
        }
        let byClass = try eval("default", []), twelve = try eval("twelve", ["--point-size", "12"]), seven = try eval("seven", ["--point-size", "7"])
        #expect((byClass.json["point_size.cable_gland"] as? String)?.hasPrefix("12 (the reference's size for MVTec 3D-AD cable_gland") == true)
        #expect(twelve.json["point_size.cable_gland"] as? String == "12 (given with --point-size)")
        #expect(byClass.csv == twelve.csv)
        #expect(byClass.csv != seven.csv, "a 7-pixel point must change the renders and so the scores")
    }
}
