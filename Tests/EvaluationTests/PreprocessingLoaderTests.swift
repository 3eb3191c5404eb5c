import Foundation
import Testing
import TestSupport
import PointClouds
@testable import Evaluation

/// `DatasetSampleLoader(preprocessing: .btf)` hands the scorer the reference-preprocessed scan and
/// labels it with the padded gt; `.none` keeps the raw scan.
@Suite struct PreprocessingLoaderTests {
    static func sample(_ root: String) -> SampleDescriptor {
        let dir = TestPaths.fixture("mvtec-preprocess/\(root)/torus0/test/dent")
        return SampleDescriptor(className: "torus0", split: "test", defect: "dent", stem: "000",
                                points: dir.appendingPathComponent("xyz/000.tiff").path, rgb: dir.appendingPathComponent("rgb/000.png").path,
                                groundTruth: dir.appendingPathComponent("gt/000.png").path, label: 1)
    }

    @Test func btfLoadsThePaddedPreprocessedScanWithThePaddedGT() throws {
        let loaded = try DatasetSampleLoader(preprocessing: .btf).load(Self.sample("raw"))
        let reference = try DatasetSampleLoader(preprocessing: .none).load(Self.sample("expected"))
        let grid = try #require(loaded.cloud.grid), referenceGrid = try #require(reference.cloud.grid)
        #expect(grid.width == referenceGrid.width && grid.height == referenceGrid.height)
        #expect(loaded.mask == reference.mask)
        let a = Set(grid.pixelIndices), b = Set(referenceGrid.pixelIndices)
        #expect(Double(a.intersection(b).count) / Double(a.union(b).count) >= 0.99)
        #expect(loaded.pointLabels!.contains(1))
    }

    @Test func noneKeepsTheRawScan() throws {
        let raw = try DatasetSampleLoader().load(Self.sample("raw"))
        let xyz = try XYZTIFFFile.read(URL(fileURLWithPath: Self.sample("raw").points))
        #expect(raw.cloud.grid?.width == xyz.width && raw.cloud.count == xyz.validPixelIndices.count)
    }
}
