import Foundation
import Imaging
import PointADSupport

/// A contact sheet of an MVTec-style synthetic dataset, to see what was made: one row per class,
/// one column per test folder (good, then each defect kind), each tile the sample's colour image
/// with its ground truth tinted red.
public enum SyntheticPreview {
    /// Writes the sheet as an RGB PNG. Uses the same sample seeds as `DatasetSynthesizer`, so
    /// the tiles are the first sample of each folder of the dataset with these settings.
    public static func write(_ settings: SynthesisSettings, to url: URL) throws {
        guard settings.layout == .mvtec3d else { throw UsageError("a preview sheet needs --layout mvtec3d (it shows the colour images)") }
        let scans = try settings.scanDirectory.map { try ScannedShape.catalog(in: $0) } ?? []
        let classes = SyntheticClass.catalog(count: settings.classes, layout: .mvtec3d, seed: settings.seed, scans: scans)
        let rows = classes.map { objectClass in
            DatasetPlan.jobs(for: objectClass, settings: settings).filter { $0.split == "test" && $0.stem == "000" }
                .sorted { order($0) < order($1) }
        }
        let columns = rows.map(\.count).max() ?? 0
        let w = settings.imageWidth, h = settings.imageHeight
        let sheetWidth = columns * w
        var sheet = [UInt8](repeating: 255, count: sheetWidth * rows.count * h * 3)
        for (r, jobs) in rows.enumerated() {
            for (c, job) in jobs.enumerated() {
                let scan = SampleSynthesizer.mvtecScan(of: classes[job.classIndex], defects: job.defects, seed: job.seed, settings: settings)
                for y in 0..<h {
                    for x in 0..<w {
                        let source = y * w + x
                        let target = ((r * h + y) * sheetWidth + c * w + x) * 3
                        let defect = scan.groundTruth[source] > 0
                        for k in 0..<3 {
                            let value = Float(scan.rgb[3 * source + k])
                            sheet[target + k] = UInt8(defect ? (k == 0 ? value * 0.4 + 153 : value * 0.4) : value)
                        }
                    }
                }
            }
        }
        try PNGFile.write(bytes: sheet, width: sheetWidth, height: rows.count * h, channels: 3, to: url)
    }

    /// good, the kinds in their declared order, combined last.
    private static func order(_ job: SampleJob) -> Int {
        job.defects.isEmpty ? -1 : job.defects.count > 1 ? 99 : DefectKind.allCases.firstIndex(of: job.defects[0])!
    }
}
