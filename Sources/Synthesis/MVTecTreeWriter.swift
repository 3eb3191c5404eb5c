import Foundation
import Imaging
import PointADSupport
import PointClouds
import TensorCore

/// Writes samples in MVTec 3D-AD's layout and formats (datasets.md §1.1–1.2, §1.7):
///
///     <class>/{train,validation}/good/{xyz,rgb}/NNN.{tiff,png}
///     <class>/test/<defect>/{xyz,rgb,gt}/NNN.{tiff,png,png}      (gt of test/good all zero)
///     <class>/class_ids.json, readme.txt, license.txt, calibration/camera_parameters.json
///
/// xyz: uncompressed contiguous float32 H×W×3 TIFF in metres, (0,0,0) where nothing was measured
/// (a raw table scan, or the object alone with `--scene object`);
/// rgb: 8-bit RGB PNG; gt: 8-bit grey PNG with each defect kind's value (250…255).
enum MVTecTreeWriter {
    /// Valid pixels per scan given a zero in one coordinate only: the reference loaders count
    /// them invalid (`np.all(pc != 0)`), and readers must too.
    static let zeroCoordinatePixels = 2

    static func writeSample(_ job: SampleJob, of objectClass: SyntheticClass, settings: SynthesisSettings, classDirectory: URL) throws {
        var scan = SampleSynthesizer.mvtecScan(of: objectClass, defects: job.defects, seed: job.seed, settings: settings)
        var rng = SeededRandom(seed: SeedDerivation.derive(job.seed, 99))
        zeroOneCoordinate(of: &scan, pixels: zeroCoordinatePixels, rng: &rng)
        let folder = classDirectory.appendingPathComponent(job.split).appendingPathComponent(job.folder)
        try XYZTIFFFile.write(XYZImage(width: scan.width, height: scan.height, values: scan.xyz),
                              to: folder.appendingPathComponent("xyz/\(job.stem).tiff"))
        try PNGFile.write(bytes: scan.rgb, width: scan.width, height: scan.height, channels: 3,
                          to: folder.appendingPathComponent("rgb/\(job.stem).png"))
        if job.split == "test" {
            try PNGFile.write(bytes: scan.groundTruth, width: scan.width, height: scan.height, channels: 1,
                              to: folder.appendingPathComponent("gt/\(job.stem).png"))
        }
    }

    /// The files MVTec ships beside the splits: defect ids, a readme, a licence, the camera.
    static func writeClassFiles(of objectClass: SyntheticClass, settings: SynthesisSettings, classDirectory: URL) throws {
        let ids = settings.layout.defectKinds.sorted { $0.groundTruthValue > $1.groundTruthValue }
            .map { "\"\($0.groundTruthValue)\":\"\($0.mvtecName)\"" } + ["\"0\":\"good\""]
        try AtomicFile.write("{" + ids.joined(separator: ",") + "}", to: classDirectory.appendingPathComponent("class_ids.json"))
        try AtomicFile.write(SyntheticDatasetNotes.readme(objectClass, settings: settings), to: classDirectory.appendingPathComponent("readme.txt"))
        try AtomicFile.write(SyntheticDatasetNotes.license, to: classDirectory.appendingPathComponent("license.txt"))
        let camera = settings.scene == .table
            ? SampleSynthesizer.tableCamera(for: objectClass, width: settings.imageWidth, height: settings.imageHeight)
            : SampleSynthesizer.camera(for: objectClass, width: settings.imageWidth, height: settings.imageHeight)
        // MVTec's HALCON camera description; ours is an ideal pinhole (no distortion: kappa 0) with
        // a nominal 3.75 µm pixel pitch, so focus = focal length in pixels × pitch.
        let pitch = 3.75e-6
        let parameters = [
            "\"camera_type\":\"area_scan_division\"",
            "\"focus\":\(Double(camera.focal) * pitch)",
            "\"kappa\":0.0",
            "\"sx\":\(pitch)", "\"sy\":\(pitch)",
            "\"cx\":\(Double(camera.principal.x))", "\"cy\":\(Double(camera.principal.y))",
            "\"image_width\":\(camera.width)", "\"image_height\":\(camera.height)",
        ]
        try AtomicFile.write("{" + parameters.joined(separator: ",") + "}",
                             to: classDirectory.appendingPathComponent("calibration/camera_parameters.json"))
    }

    /// Sets x to 0 on a few measured, non-defective pixels.
    static func zeroOneCoordinate(of scan: inout DepthScan, pixels: Int, rng: inout SeededRandom) {
        let candidates = (0..<(scan.width * scan.height)).filter { p in
            scan.groundTruth[p] == 0 && scan.xyz[3 * p] != 0 && scan.xyz[3 * p + 1] != 0 && scan.xyz[3 * p + 2] != 0
        }
        var pool = candidates
        for _ in 0..<min(pixels, pool.count) {
            let k = Int(rng.next() % UInt64(pool.count))
            scan.xyz[3 * pool[k]] = 0
            pool.swapAt(k, pool.count - 1)
            pool.removeLast()
        }
    }
}
