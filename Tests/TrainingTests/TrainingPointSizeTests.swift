import CLIP
import Evaluation
import Foundation
import PointADModel
import PointClouds
import Rendering
import Testing
import TestSupport
@testable import Training

/// Training renders MVTec 3D-AD classes with the authors' per-class point sizes, as their training
/// renders were made, and records them in the checkpoint's metadata.
@Suite struct TrainingPointSizeTests {
    static func settings(_ dataset: DatasetKind) -> TrainingRunSettings {
        TrainingRunSettings(model: URL(fileURLWithPath: "/m"), data: URL(fileURLWithPath: "/d"), dataset: dataset,
                            output: URL(fileURLWithPath: "/o.safetensors"))
    }

    @Test func mvtecClassesTrainAtTheirReferenceSizes() throws {
        var s = Self.settings(.mvtec3d)
        var sizes = s.pointSizes(classes: ["cookie", "dowel", "cookie", "blob0"])
        #expect(sizes.count == 3)
        #expect(sizes["cookie"]?.pointSize == 6 && sizes["dowel"]?.pointSize == 10)
        #expect(sizes["blob0"]?.pointSize == 7 && sizes["blob0"]?.origin.contains("not an MVTec 3D-AD class") == true)
        s.pointSize = 11
        sizes = s.pointSizes(classes: ["cookie"])
        #expect(sizes["cookie"]?.pointSize == 11)
        s.pointSize = nil
        s.views = .pointAD
        #expect(s.pointSizes(classes: ["cookie"])["cookie"]?.pointSize == 7)
        // Unorganised clouds without a view set: the detector chooses per cloud; nothing to record.
        #expect(Self.settings(.plain).pointSizes(classes: ["a"]).isEmpty)
    }

    @Test func builderDrawsWithItsPointSize() throws {
        let clip = try CLIP.CLIPModel(directory: TestPaths.fixture("anomalyclip-tiny/model"), parts: [.vision])
        var builder = try TrainingExampleBuilder(render: RenderSettings(size: 56), views: .mvtec,
                                                 encoder: PointADModel.ViewEncoder(vision: clip.requireVision(), layers: .paper, dpamLayer: nil))
        builder.pointSize = 6
        let cloud = PointClouds.PointCloud(positions: [SIMD3(0, 0, 0), SIMD3(1, 0, 0), SIMD3(0, 1, 0)])
        #expect(builder.viewSet(for: cloud).raster.pointSize == 6)
        let metadata = TrainingRun.metadata(Self.settings(.mvtec3d), classes: ["cookie"], viewEncoder: builder.encoder,
                                            render: builder.render, pointSizes: Self.settings(.mvtec3d).pointSizes(classes: ["cookie"]))
        #expect(metadata["point_size.cookie"]?.hasPrefix("6 (") == true)
    }
}
