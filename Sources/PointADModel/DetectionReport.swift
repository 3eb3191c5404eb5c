import Foundation
import Imaging
import PointADSupport
import PointClouds
import Rendering

/// Writes what `pointad score --out DIR` leaves for one cloud: `<stem>.ply` (per-point `anomaly`
/// and its jet colour), `<stem>_view<k>.png` (each rendered view with its anomaly map overlaid) and
/// `<stem>.json` (the summary). All writes are atomic.
public enum DetectionReport {
    /// The rendered view blended with the jet colours of its anomaly map (`alpha` = map opacity).
    public static func overlay(_ image: Image, map: [Float], alpha: Float = 0.5) throws -> Image {
        guard map.count == image.width * image.height else {
            throw UsageError("overlay: a \(map.count)-value map for a \(image.width)×\(image.height) image")
        }
        var pixels = [Float](repeating: 0, count: map.count * 3)
        for i in 0..<map.count {
            let heat = ColorMap.jet.color(map[i])
            for c in 0..<3 {
                let base = image.channels >= 3 ? image.pixels[i * image.channels + c] : image.pixels[i * image.channels]
                pixels[3 * i + c] = (1 - alpha) * base + alpha * heat[c]
            }
        }
        return Image(width: image.width, height: image.height, channels: 3, pixels: pixels)
    }

    /// Writes the cloud, the view overlays and the summary; returns the summary. `comments` go
    /// into the PLY header; `complete` fills in what the summary records beyond the detection
    /// (decision, provenance) before its JSON is written.
    @discardableResult
    public static func write(_ detection: Detection, cloud: PointCloud, stem: String, to directory: URL,
                             randomWeights: Bool, comments: [String] = [],
                             complete: (inout DetectionSummary) -> Void = { _ in }) throws -> DetectionSummary {
        var outputs: [String] = []
        var scored = cloud
        scored.scalars["anomaly"] = detection.pointScores
        if randomWeights { scored.scalars["random_weights"] = [Float](repeating: 1, count: cloud.count) }
        let ply = "\(stem).ply"
        try PointCloudFile.write(scored, to: directory.appendingPathComponent(ply), heatMap: HeatMap(scalar: "anomaly", range: 0...1), comments: comments)
        outputs.append(ply)
        var renders: [Image] = [], overlays: [Image] = []
        for (k, view) in detection.views.enumerated() {
            guard let image = view.image else { continue }
            let name = "\(stem)_view\(k).png"
            let overlaid = try overlay(image, map: detection.anomalyMap(view: k))
            try PNGFile.write(overlaid, to: directory.appendingPathComponent(name))
            outputs.append(name)
            renders.append(image)
            overlays.append(overlaid)
        }
        // One picture each for the renders and the overlays, 3×3, to look at in one glance.
        for (suffix, images) in [("renders", renders), ("overlays", overlays)] {
            guard images.count > 1, let sheet = ViewMontage.tile(images, columns: 3) else { continue }
            let name = "\(stem)_\(suffix).png"
            try PNGFile.write(sheet, to: directory.appendingPathComponent(name))
            outputs.append(name)
        }
        let json = "\(stem).json"
        outputs.append(json)
        var summary = DetectionSummary(detection: detection, file: cloud.source ?? stem, randomWeights: randomWeights, outputs: outputs)
        complete(&summary)
        try AtomicFile.write(try summary.json(), to: directory.appendingPathComponent(json))
        return summary
    }
}
