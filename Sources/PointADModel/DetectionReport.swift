import Foundation
import Imaging
import PointADSupport
import PointClouds
import Rendering

/// Writes what `pointad score --out DIR` leaves for one cloud: `<stem>.ply` (per-point `anomaly`
/// and its jet colour), `<stem>_view<k>.png` (each view with the final per-point scores painted in),
/// `<stem>_renders.png` (the plain renders, 3×3), `<stem>_overlays.png` (the annotated sheet:
/// title, views with angles, colour bar, ground-truth outline), for organised scans `<stem>_map.png`
/// (H×W) and with an RGB image `<stem>_rgb_overlay.png`, and `<stem>.json`. All writes are atomic.
public enum DetectionReport {
    /// Writes the cloud, the painted views, the sheets, the organised scan's map pictures and the
    /// summary; returns the summary. `labels` (per input point) come from a `label` property of the
    /// cloud; `decision` is shown in the sheet's title when a threshold made one. `comments` go into
    /// the PLY header; `complete` fills in what the summary records beyond the detection (decision,
    /// provenance) before its JSON is written.
    @discardableResult
    public static func write(_ detection: Detection, cloud: PointCloud, stem: String, to directory: URL,
                             randomWeights: Bool, preparation: CloudPreparation? = nil, rgb: Image? = nil,
                             decision: (anomalous: Bool, threshold: Float)? = nil, comments: [String] = [],
                             complete: (inout DetectionSummary) -> Void = { _ in }) throws -> DetectionSummary {
        var outputs: [String] = []
        var scored = cloud
        scored.scalars["anomaly"] = detection.pointScores
        if randomWeights { scored.scalars["random_weights"] = [Float](repeating: 1, count: cloud.count) }
        let ply = "\(stem).ply"
        try PointCloudFile.write(scored, to: directory.appendingPathComponent(ply), heatMap: HeatMap(scalar: "anomaly", range: 0...1), comments: comments)
        outputs.append(ply)
        let labels = cloud.scalars["label"].map { $0.map { UInt8($0 != 0 ? 1 : 0) } }
        let preparation = preparation ?? CloudPreparation(size: detection.views.first?.projection.size ?? 0, normalNeighbours: 0, views: nil)
        let title = AnomalySheet.title(file: cloud.source.map { ($0 as NSString).lastPathComponent } ?? stem,
                                       objectScore: detection.objectScore, maxPointScore: detection.pointScores.max(),
                                       decision: decision, randomWeights: randomWeights)
        let (sheet, painted) = try AnomalySheet.make(detection, input: cloud, preparation: preparation, labels: labels, title: title)
        for (k, view) in painted.enumerated() {
            let name = "\(stem)_view\(k).png"
            try PNGFile.write(view, to: directory.appendingPathComponent(name))
            outputs.append(name)
        }
        // The plain renders on one 3×3 picture, and the annotated sheet of the painted views.
        let renders = detection.views.compactMap(\.image)
        if renders.count > 1, let montage = ViewMontage.tile(renders, columns: 3) {
            let name = "\(stem)_renders.png"
            try PNGFile.write(montage, to: directory.appendingPathComponent(name))
            outputs.append(name)
        }
        let sheetName = "\(stem)_overlays.png"
        try PNGFile.write(sheet, to: directory.appendingPathComponent(sheetName))
        outputs.append(sheetName)
        if let grid = cloud.grid {
            let name = "\(stem)_map.png"
            try PNGFile.write(ScanMapPicture.anomalyMap(pointScores: detection.pointScores, grid: grid), to: directory.appendingPathComponent(name))
            outputs.append(name)
            if let rgb {
                let overlayName = "\(stem)_rgb_overlay.png"
                let overlay = try ScanMapPicture.rgbOverlay(rgb, pointScores: detection.pointScores, grid: grid, labels: labels)
                try PNGFile.write(overlay, to: directory.appendingPathComponent(overlayName))
                outputs.append(overlayName)
            }
        }
        let json = "\(stem).json"
        outputs.append(json)
        var summary = DetectionSummary(detection: detection, file: cloud.source ?? stem, randomWeights: randomWeights, outputs: outputs)
        complete(&summary)
        try AtomicFile.write(try summary.json(), to: directory.appendingPathComponent(json))
        return summary
    }
}
