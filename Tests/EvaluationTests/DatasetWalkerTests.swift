import Foundation
import PointADSupport
import Testing
import TestSupport
@testable import Evaluation

// The walkers must find exactly the samples the official loaders find, with their labels and
// files, in a fixed order — a missed or extra sample changes every benchmark number. The trees
// here mimic the real layouts (datasets.md §1.1, §2, §3) with empty files: walking reads names only.
@Suite("Dataset walkers")
struct DatasetWalkerTests {
    static func touch(_ root: URL, _ paths: [String]) throws {
        for p in paths {
            let url = root.appendingPathComponent(p)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: url.path, contents: Data())
        }
    }

    static func mvtecTree() throws -> URL {
        let root = try TestPaths.temporaryDirectory("mvtec")
        var files = ["tire/calibration/camera_parameters.json", "tire/class_ids.json", "tire/readme.txt", "tire/license.txt",
                     "tire/train/good/xyz/000.tiff", "tire/train/good/rgb/000.png",
                     "tire/validation/good/xyz/000.tiff",
                     "tire/test/class_ids.json", "bagel/test/good/xyz/000.tiff", "bagel/test/good/gt/000.png",
                     "README.md", ".DS_Store", "tire/test/good/.hidden/xyz/000.tiff"]
        for stem in ["000", "001"] {
            files += ["tire/test/good/xyz/\(stem).tiff", "tire/test/good/rgb/\(stem).png", "tire/test/good/gt/\(stem).png",
                      "tire/test/cut/xyz/\(stem).tiff", "tire/test/cut/rgb/\(stem).png", "tire/test/cut/gt/\(stem).png"]
        }
        files += ["tire/test/hole/xyz/000.tiff", "tire/test/hole/gt/000.png", "tire/test/combined/xyz/000.tiff"]
        try touch(root, files)
        return root
    }

    @Test("MVTec 3D-AD: classes, defect folders, pairing by stem, labels, skipped extras")
    func mvtec() throws {
        let root = try Self.mvtecTree()
        let walker = DatasetWalker(kind: .mvtec3d, root: root)
        #expect(try walker.classes() == ["bagel", "tire"])
        let tire = try walker.samples(classes: ["tire"])
        #expect(tire.map { "\($0.defect)/\($0.stem)" } == ["combined/000", "cut/000", "cut/001", "good/000", "good/001", "hole/000"])
        #expect(tire.map(\.label) == [1, 1, 1, 0, 0, 1])
        let cut = tire[1]
        #expect(cut.points == root.appendingPathComponent("tire/test/cut/xyz/000.tiff").path)
        #expect(cut.rgb == root.appendingPathComponent("tire/test/cut/rgb/000.png").path)
        #expect(cut.groundTruth == root.appendingPathComponent("tire/test/cut/gt/000.png").path)
        #expect(tire[0].rgb == nil)
        // A defect sample without gt still gets its expected path, so loading reports it missing.
        #expect(tire[0].groundTruth == root.appendingPathComponent("tire/test/combined/gt/000.png").path)
        let training = try walker.samples(classes: ["tire"], splits: ["train", "validation"])
        #expect(training.map { "\($0.split)/\($0.defect)/\($0.stem)" } == ["train/good/000", "validation/good/000"])
        #expect(training.allSatisfy { $0.groundTruth == nil && $0.label == 0 })
        #expect(try walker.samples().count == 7)
    }

    @Test("Unknown classes and splits are usage errors naming what exists")
    func selection() throws {
        let walker = DatasetWalker(kind: .mvtec3d, root: try Self.mvtecTree())
        #expect { try walker.samples(classes: ["carrot"]) } throws: { "\($0)".contains("bagel, tire") }
        #expect(throws: UsageError.self) { try walker.samples(splits: ["val"]) }
        #expect(throws: FileError.self) { try DatasetWalker(kind: .real3d, root: URL(fileURLWithPath: "/nonexistent")).classes() }
    }

    @Test("Real3D-AD: templates skipped in test, good by name, anomalous points from gt txt")
    func real3d() throws {
        let root = try TestPaths.temporaryDirectory("real3d")
        try Self.touch(root, ["airplane/train/1_prototype.pcd", "airplane/train/2_template.pcd",
                              "airplane/test/1_bulge.pcd", "airplane/test/2_sink.pcd", "airplane/test/3_good.pcd",
                              "airplane/test/temp_copy.pcd", "airplane/test/notes.txt",
                              "airplane/gt/1_bulge.txt", "airplane/gt/2_sink.txt"])
        let walker = DatasetWalker(kind: .real3d, root: root)
        let test = try walker.samples()
        #expect(test.map(\.stem) == ["1_bulge", "2_sink", "3_good"])
        #expect(test.map(\.defect) == ["bulge", "sink", "good"])
        #expect(test.map(\.label) == [1, 1, 0])
        #expect(test[0].points == root.appendingPathComponent("airplane/gt/1_bulge.txt").path)
        #expect(test[0].groundTruth == test[0].points)
        #expect(test[2].points == root.appendingPathComponent("airplane/test/3_good.pcd").path)
        #expect(test[2].groundTruth == nil)
        #expect(try walker.samples(splits: ["train"]).map(\.stem) == ["1_prototype", "2_template"])
    }

    @Test("Anomaly-ShapeNet: positive = normal, type from the name, upper-case GT folder")
    func shapenet() throws {
        let root = try TestPaths.temporaryDirectory("shapenet")
        try Self.touch(root, ["ashtray0/train/ashtray0_template0.pcd", "ashtray0/test/ashtray0_positive0.pcd",
                              "ashtray0/test/ashtray0_crack3.pcd", "ashtray0/test/ashtray0_bulge12.pcd",
                              "ashtray0/GT/ashtray0_crack3.txt", "ashtray0/GT/ashtray0_bulge12.txt"])
        let test = try DatasetWalker(kind: .shapenet, root: root).samples()
        #expect(test.map(\.stem) == ["ashtray0_bulge12", "ashtray0_crack3", "ashtray0_positive0"])
        #expect(test.map(\.defect) == ["bulge", "crack", "good"])
        #expect(test.map(\.label) == [1, 1, 0])
        #expect(test[1].points == root.appendingPathComponent("ashtray0/GT/ashtray0_crack3.txt").path)
    }

    @Test("Eyecandies in MVTec layout walks; the raw underfolder layout is refused with advice")
    func eyecandies() throws {
        let root = try TestPaths.temporaryDirectory("eyecandies")
        try Self.touch(root, ["CandyCane/test/good/xyz/000.tiff", "CandyCane/test/good/gt/000.png",
                              "CandyCane/test/bad/xyz/001.tiff", "CandyCane/test/bad/gt/001.png"])
        let test = try DatasetWalker(kind: .eyecandies, root: root).samples()
        #expect(test.map { "\($0.defect)/\($0.stem)/\($0.label!)" } == ["bad/001/1", "good/000/0"])
        let raw = try TestPaths.temporaryDirectory("eyecandies-raw")
        try Self.touch(raw, ["CandyCane/test_public/data/00_depth.png"])
        #expect { try DatasetWalker(kind: .eyecandies, root: raw).samples() } throws: { "\($0)".contains("preprocess_eyecandies") }
    }

    @Test("Plain folder: clouds at top level or in class folders, labels.csv and gt/*.npy")
    func plain() throws {
        let root = try TestPaths.temporaryDirectory("plain")
        try Self.touch(root, ["a.ply", "b.pcd", "notes.txt", "gears/x.tiff", "gears/y.ply", "gears/gt/y.npy", "empty/readme.md"])
        try "stem,label\nx,0\ny,1\n".write(to: root.appendingPathComponent("gears/labels.csv"), atomically: true, encoding: .utf8)
        let walker = DatasetWalker(kind: .plain, root: root)
        #expect(try walker.classes() == [root.lastPathComponent, "gears"])
        let all = try walker.samples()
        #expect(all.map { "\($0.className == "gears" ? "gears" : "top")/\($0.stem)/\($0.defect)" }
            == ["top/a/unlabeled", "top/b/unlabeled", "gears/x/good", "gears/y/anomalous"])
        #expect(all[3].groundTruth == root.appendingPathComponent("gears/gt/y.npy").path)
        #expect(all[0].label == nil && all[3].label == 1)
    }
}
