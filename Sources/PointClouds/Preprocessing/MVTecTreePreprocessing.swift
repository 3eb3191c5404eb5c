import Foundation
import PointADSupport

/// Writes a preprocessed copy of an MVTec 3D-AD tree: every `…/xyz/<stem>.tiff` goes through
/// `BTFPreprocessing` with its sibling `rgb/<stem>.png` and `gt/<stem>.png`, and every other file
/// (calibration, `class_ids.json`, text) is copied unchanged. Never in place: the output may not
/// be the input or lie inside it. Files are written atomically; a scan whose plane cannot be
/// found is copied unchanged and listed as failed.
public struct MVTecTreePreprocessing: Sendable {
    public var preprocessing: BTFPreprocessing

    public init(preprocessing: BTFPreprocessing = BTFPreprocessing()) {
        self.preprocessing = preprocessing
    }

    public struct Summary: Sendable {
        public var scans = 0
        public var preprocessed = 0
        public var alreadyPreprocessed = 0
        public var failed: [String] = []
        public var copied = 0
        public var pointsIn = 0
        public var pointsKept = 0
    }

    public func run(input: URL, output: URL, progress: (_ total: Int) -> ProgressReporter) throws -> Summary {
        let source = input.standardizedFileURL.resolvingSymlinksInPath(), target = output.standardizedFileURL.resolvingSymlinksInPath()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw FileError(input.path, "not a dataset folder")
        }
        let sourcePath = source.path.hasSuffix("/") ? source.path : source.path + "/"
        guard target.path != source.path, !(target.path + "/").hasPrefix(sourcePath) else {
            throw UsageError("--out \(output.path) is the dataset folder or inside it; preprocessing writes a separate copy")
        }
        guard let walker = FileManager.default.enumerator(at: source, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw FileError(input.path, "cannot list the folder")
        }
        var files: [String] = []
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            files.append(String(url.standardizedFileURL.resolvingSymlinksInPath().path.dropFirst(sourcePath.count)))
        }
        files.sort()
        let scans = files.filter { Self.isScan($0) }
        // rgb and gt PNGs of a scan are written with it, not copied.
        let paired = Set(scans.flatMap { [Self.sibling($0, "rgb"), Self.sibling($0, "gt")] })
        var summary = Summary()
        let reporter = progress(scans.count)
        for file in files where !Self.isScan(file) && !paired.contains(file) {
            let to = target.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
            try AtomicFile.write(try Data(contentsOf: source.appendingPathComponent(file)), to: to)
            summary.copied += 1
        }
        let present = Set(files)
        for scan in scans {
            let rgb = Self.sibling(scan, "rgb"), gt = Self.sibling(scan, "gt")
            let inURL = { (p: String) in present.contains(p) ? source.appendingPathComponent(p) : nil }
            let outURL = { (p: String) in present.contains(p) ? target.appendingPathComponent(p) : nil }
            let raw = try OrganizedScan.read(xyz: source.appendingPathComponent(scan), rgb: inURL(rgb), gt: inURL(gt))
            for p in [scan, rgb, gt] where present.contains(p) {
                try FileManager.default.createDirectory(at: target.appendingPathComponent(p).deletingLastPathComponent(), withIntermediateDirectories: true)
            }
            summary.scans += 1
            do {
                let (result, report) = try preprocessing.apply(raw)
                try result.write(xyz: target.appendingPathComponent(scan), rgb: outURL(rgb), gt: outURL(gt))
                if report.alreadyPreprocessed { summary.alreadyPreprocessed += 1 } else { summary.preprocessed += 1 }
                summary.pointsIn += report.inputPoints
                summary.pointsKept += report.keptPoints
            } catch let error as BTFPreprocessing.NoPlaneError {
                reporter.log("\(scan): \(error); copied unchanged")
                try raw.write(xyz: target.appendingPathComponent(scan), rgb: outURL(rgb), gt: outURL(gt))
                summary.failed.append(scan)
            }
            reporter.advance(detail: scan)
        }
        return summary
    }

    /// `…/xyz/<stem>.tif(f)`.
    static func isScan(_ path: String) -> Bool {
        let url = URL(fileURLWithPath: path)
        return ["tiff", "tif"].contains(url.pathExtension.lowercased()) && url.deletingLastPathComponent().lastPathComponent == "xyz"
    }

    /// `…/<folder>/<stem>.png` beside a scan's `xyz` folder.
    static func sibling(_ scan: String, _ folder: String) -> String {
        let url = URL(fileURLWithPath: scan)
        let stem = url.deletingPathExtension().lastPathComponent
        let base = (scan as NSString).deletingLastPathComponent as NSString
        return ((base.deletingLastPathComponent as NSString).appendingPathComponent(folder) as NSString).appendingPathComponent(stem + ".png")
    }
}
