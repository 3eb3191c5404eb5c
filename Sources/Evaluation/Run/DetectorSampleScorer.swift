import Foundation
import PointADSupport
import Imaging
import PointADModel
import PointClouds

/// The PointAD / PointAD+ detector as the evaluation's scorer: each sample's cloud goes through
/// `Detector.score`; with `fuseRGB`, a sample's registered colour image (MVTec 3D-AD, Eyecandies)
/// is fused plug-and-play as in the reference ("points + RGB" tables). A cloud resampled to
/// Real3D-AD's count also hands back its resampled points' scores (`SampleScore.resampled`).
public struct DetectorSampleScorer: SampleScorer {
    public let detector: Detector
    public let fuseRGB: Bool
    /// The point size each class's views are drawn with (`ClassPointSize`), by class name; a class
    /// not listed is drawn with its view set's own.
    public let pointSizes: [String: Int]

    public init(detector: Detector, fuseRGB: Bool = false, pointSizes: [String: Int] = [:]) {
        self.detector = detector
        self.fuseRGB = fuseRGB
        self.pointSizes = pointSizes
    }

    public func score(_ cloud: PointCloud, sample: SampleDescriptor) throws -> SampleScore {
        var rgb: Image?
        if fuseRGB {
            guard let path = sample.rgb else { throw FileError(sample.points, "--rgb asked, but this sample has no rgb image") }
            rgb = try PNGFile.read(URL(fileURLWithPath: path), as: .rgb)
        }
        let detection = try detector.score(cloud, rgb: rgb, pointSize: pointSizes[sample.className])
        // The map is on the grid the detector scored: the scan's own, or its 336×336 resize.
        let map = detection.scores.gridMap.flatMap { values -> ScoreMap? in
            guard let grid = detection.scoredCloud.grid, values.count == grid.width * grid.height else { return nil }
            return ScoreMap(width: grid.width, height: grid.height, values: values)
        }
        let preparation = detector.preparation, randomWeights = detector.hasRandomWeights
        let name = "\(sample.className)/\(sample.defect)/\(sample.stem)"
        let picture: @Sendable ([UInt8]?) throws -> Image = { labels in
            let title = AnomalySheet.title(file: name, objectScore: detection.objectScore, maxPointScore: detection.pointScores.max(),
                                           decision: nil, randomWeights: randomWeights)
            return try AnomalySheet.make(detection, input: cloud, preparation: preparation, labels: labels, title: title,
                                         shrink: EvaluationPage.thumbnailShrink).sheet
        }
        let resampled = detection.labelSources.map { ResampledScores(scores: detection.scores.pointScores, labelSources: $0) }
        return SampleScore(objectScore: detection.objectScore, pointScores: detection.pointScores, map: map, picture: picture,
                           resampled: resampled)
    }
}
