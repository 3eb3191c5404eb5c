import Foundation
import Testing
import TestSupport

/// `pointad preprocess` on a copy of the Open3D fixture's raw tree.
@Suite struct PreprocessCommandTests {
    @Test func writesAPreprocessedCopyAndCopiesTheRest() throws {
        let work = try TestPaths.temporaryDirectory("preprocess-cli")
        defer { try? FileManager.default.removeItem(at: work) }
        let raw = work.appendingPathComponent("raw"), out = work.appendingPathComponent("out")
        try FileManager.default.copyItem(at: TestPaths.fixture("mvtec-preprocess/raw"), to: raw)
        try "{\"255\":\"bump\"}".write(to: raw.appendingPathComponent("superquadric0/class_ids.json"), atomically: true, encoding: .utf8)

        let r = try runPointad(["preprocess", "--dataset", "mvtec3d", "--data", raw.path, "--out", out.path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("4 scans: 4 preprocessed, 0 already preprocessed"), "\(r.stdout)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("superquadric0/class_ids.json").path))
        for dir in ["superquadric0/test/bump", "torus0/test/good"] {
            for part in ["xyz/000.tiff", "rgb/000.png", "gt/000.png"] {
                #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("\(dir)/\(part)").path), "\(dir)/\(part)")
            }
        }

        // Its own output is recognised, not broken (the reference script crashes on it).
        let again = try runPointad(["preprocess", "--dataset", "mvtec3d", "--data", out.path, "--out", work.appendingPathComponent("again").path, "--quiet"])
        #expect(again.status == 0 && again.stdout.contains("0 preprocessed, 4 already preprocessed"), "\(again.stdout)\(again.stderr)")
    }

    @Test func refusesToWriteInsideTheDataset() throws {
        let work = try TestPaths.temporaryDirectory("preprocess-cli")
        defer { try? FileManager.default.removeItem(at: work) }
        for out in [work.path, work.appendingPathComponent("inside").path] {
            let r = try runPointad(["preprocess", "--dataset", "mvtec3d", "--data", work.path, "--out", out])
            #expect(r.status != 0 && r.stderr.contains("inside"), "\(r.stderr)")
        }
        let r = try runPointad(["preprocess", "--dataset", "real3d", "--data", work.path, "--out", work.path + "-x"])
        #expect(r.status != 0 && r.stderr.contains("only mvtec3d"))
    }
}
