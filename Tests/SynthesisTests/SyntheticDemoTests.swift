import CLIP
import Evaluation
import Foundation
import PointADSupport
import PointClouds
import Testing
import TestSupport
@testable import Synthesis

@Suite("demo workspace")
struct SyntheticDemoTests {
    @Test("the CI demo has a walkable dataset, a loadable random model and a labelled sample PLY")
    func ciWorkspace() throws {
        let dir = try TestPaths.temporaryDirectory("demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        let workspace = try SyntheticDemo.prepare(in: dir, size: .ci, quiet: true)
        let classes = try DatasetWalker(kind: .mvtec3d, root: workspace.dataset).classes()
        #expect(Set(classes) == Set(workspace.trainClasses + workspace.testClasses))
        #expect(workspace.trainClasses.count == 1 && workspace.testClasses.count == 2)
        #expect(ModelFolder.isRandomWeights(workspace.model))
        #expect(try CLIPModel(directory: workspace.model, parts: .vision).configuration == CLIPPreset.tiny.configuration)
        let sample = try PointCloudFile.read(workspace.samplePLY)
        let labels = try #require(sample.scalars["label"])
        // The object of a preprocessed 128×112 raw scan (the table removed).
        #expect(sample.count > 500 && sample.colors != nil)
        #expect(labels.contains(1) && labels.contains(0))
    }

    @Test("Python's plyfile reads the sample PLY with its label property", .enabled(if: DatasetTreeTests.pythonHas("plyfile")))
    func plyfileReadsSample() throws {
        let dir = try TestPaths.temporaryDirectory("demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("sample.ply")
        try SyntheticDemo.writeSamplePLY(settings: SyntheticDemo.Size.ci.settings, to: url)
        let ours = try PointCloudFile.read(url)
        let script = """
            import sys, plyfile
            v = plyfile.PlyData.read(sys.argv[1])["vertex"]
            print(len(v.data), int(v["label"].sum()), repr(float(v["x"][0])))
            """
        let fields = try DatasetTreeTests.run(["python3", "-c", script, url.path]).split(separator: " ")
        #expect(fields.count == 3)
        #expect(Int(fields[0]) == ours.count)
        #expect(Int(fields[1]) == Int(try #require(ours.scalars["label"]).reduce(0, +)))
        #expect(Float(fields[2].trimmingCharacters(in: .whitespacesAndNewlines)) == ours.positions[0].x)
    }
}
