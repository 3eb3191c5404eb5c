import Foundation
import PointADSupport
import Imaging
import PointADModel
import PointClouds

/// The PointAD / PointAD+ detector as the evaluation's scorer: each sample's cloud goes through
/// `Detector.score`; with `fuseRGB`, a sample's registered colour image (MVTec 3D-AD, Eyecandies)
/// is fused plug-and-play as in the reference ("points + RGB" tables).
public struct DetectorSampleScorer: SampleScorer {
    public let detector: Detector
    public let fuseRGB: Bool

    public init(detector: Detector, fuseRGB: Bool = false) {
        self.detector = detector
        self.fuseRGB = fuseRGB
    }

    public func score(_ cloud: PointCloud, sample: SampleDescriptor) throws -> SampleScore {
        var rgb: Image?
        if fuseRGB {
            guard let path = sample.rgb else { throw FileError(sample.points, "--rgb asked, but this sample has no rgb image") }
            rgb = try PNGFile.read(URL(fileURLWithPath: path), as: .rgb)
        }
        let detection = try detector.score(cloud, rgb: rgb)
        return SampleScore(objectScore: detection.objectScore, pointScores: detection.pointScores)
    }
}
