import Foundation
import Imaging
import PointADSupport
import PointClouds
import Rendering

/// `pointad score` as a library call: expands the inputs, scores each cloud with one detector,
/// writes the outputs, and returns one summary per cloud (the CLI only prints them).
public struct ScoreRun {
    public static let cloudExtensions: Set<String> = ["ply", "pcd", "tiff", "tif", "txt", "xyz"]

    public let detector: Detector
    public var outputDirectory: URL?
    /// The colour image fused with the (single) input cloud.
    public var rgb: URL?

    public init(detector: Detector, outputDirectory: URL? = nil, rgb: URL? = nil) {
        self.detector = detector
        self.outputDirectory = outputDirectory
        self.rgb = rgb
    }

    /// Files as given, and the point-cloud files directly inside each given folder (sorted).
    public static func expand(_ paths: [String]) throws -> [URL] {
        var out: [URL] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw FileError(path, "no such file or folder")
            }
            let url = URL(fileURLWithPath: path)
            if isDirectory.boolValue {
                let names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
                let clouds = names.filter { cloudExtensions.contains(($0 as NSString).pathExtension.lowercased()) }
                guard !clouds.isEmpty else { throw FileError(path, "folder holds no point cloud (.ply, .pcd, .tiff, .txt)") }
                out += clouds.map { url.appendingPathComponent($0) }
            } else {
                out.append(url)
            }
        }
        guard !out.isEmpty else { throw UsageError("no input point clouds") }
        return out
    }

    /// Output stems: file names without extension, made unique with `_2`, `_3`… when they collide.
    public static func stems(for urls: [URL]) -> [String] {
        var used: [String: Int] = [:]
        return urls.map { url in
            let base = url.deletingPathExtension().lastPathComponent
            let n = (used[base] ?? 0) + 1
            used[base] = n
            return n == 1 ? base : "\(base)_\(n)"
        }
    }

    /// Scores `inputs` in order; `report` is called after each with its summary.
    public func run(_ inputs: [URL], report: (DetectionSummary) throws -> Void) throws {
        if rgb != nil && inputs.count != 1 {
            throw UsageError("--rgb pairs one image with one point cloud; \(inputs.count) clouds were given")
        }
        let image = try rgb.map { try PNGFile.read($0, as: .rgb) }
        var written: [DetectionSummary] = []
        for (url, stem) in zip(inputs, Self.stems(for: inputs)) {
            let cloud = try PointCloudFile.read(url)
            let detection = try detector.score(cloud, rgb: image)
            var summary: DetectionSummary
            if let outputDirectory {
                summary = try DetectionReport.write(detection, cloud: cloud, stem: stem, to: outputDirectory,
                                                    randomWeights: detector.hasRandomWeights, preparation: detector.preparation, rgb: image)
                written.append(summary)
            } else {
                summary = DetectionSummary(detection: detection, file: url.path, randomWeights: detector.hasRandomWeights)
            }
            summary.file = url.path
            try report(summary)
        }
        if let outputDirectory, !written.isEmpty { try ScoreReportPage.write(written, to: outputDirectory) }
    }
}
