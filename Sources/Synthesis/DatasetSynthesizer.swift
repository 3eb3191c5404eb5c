import Foundation
import PointADSupport
import TensorCore

/// `pointad synth`: writes a whole synthetic dataset in a benchmark's layout.
///
/// Samples are independent (each drawn from its own derived seed) and are made in parallel; the
/// files depend only on the settings, so the same settings give byte-identical trees.
public enum DatasetSynthesizer {
    /// What was written.
    public struct Summary: Sendable {
        public let root: URL
        public let classes: [String]
        public let samples: Int
        public let defectiveSamples: Int
    }

    /// The file at the root that marks a folder as made by `synth` (and records how).
    public static let manifestName = "synthetic.json"

    public static func synthesize(_ settings: SynthesisSettings, to root: URL, quiet: Bool = false) throws -> Summary {
        try settings.validate()
        try prepare(root)
        let scans = try settings.scanDirectory.map { try ScannedShape.catalog(in: $0) } ?? []
        let classes = SyntheticClass.catalog(count: settings.classes, layout: settings.layout, seed: settings.seed, scans: scans)
        let jobs = classes.flatMap { DatasetPlan.jobs(for: $0, settings: settings) }
        for objectClass in classes where settings.layout == .mvtec3d {
            try MVTecTreeWriter.writeClassFiles(of: objectClass, settings: settings, classDirectory: root.appendingPathComponent(objectClass.name))
        }
        let progress = ProgressReporter("synth \(settings.layout.rawValue)", total: jobs.count, quiet: quiet)
        let failures = FailureList()
        Parallel.forEach(jobs.count) { i in
            let job = jobs[i], objectClass = classes[job.classIndex]
            let classDirectory = root.appendingPathComponent(objectClass.name)
            do {
                switch settings.layout {
                case .mvtec3d: try MVTecTreeWriter.writeSample(job, of: objectClass, settings: settings, classDirectory: classDirectory)
                case .real3d, .shapenet: try PointSetTreeWriter.writeSample(job, of: objectClass, settings: settings, classDirectory: classDirectory)
                }
            } catch {
                failures.record(i, error)
            }
            progress.advance()
        }
        if let error = failures.first { throw error }
        try AtomicFile.write(manifest(settings, classes: classes), to: root.appendingPathComponent(manifestName))
        return Summary(root: root, classes: classes.map(\.name), samples: jobs.count,
                       defectiveSamples: jobs.filter(\.isDefective).count)
    }

    /// Makes sure `root` can take the dataset: absent or empty, or an earlier `synth` output,
    /// whose class folders are removed so no stale sample survives. Anything else is refused
    /// rather than mixed with or deleted.
    static func prepare(_ root: URL) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: root.path, isDirectory: &isDirectory) else {
            do { try fm.createDirectory(at: root, withIntermediateDirectories: true) } catch {
                throw FileError(root.path, "cannot create the output folder: \(SystemErrorText.describe(error))")
            }
            return
        }
        guard isDirectory.boolValue else { throw FileError(root.path, "exists and is not a folder") }
        let entries = (try? fm.contentsOfDirectory(atPath: root.path)) ?? []
        guard !entries.isEmpty else { return }
        let manifestURL = root.appendingPathComponent(manifestName)
        guard let data = fm.contents(atPath: manifestURL.path),
              let old = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              old["pointad_synthetic"] as? Bool == true, let oldClasses = old["classes"] as? [[String: Any]] else {
            throw FileError(root.path, "folder is not empty and was not made by `pointad synth`; choose an empty or new folder")
        }
        for name in oldClasses.compactMap({ $0["name"] as? String }) where !name.isEmpty && !name.contains("/") && !name.hasPrefix(".") {
            try? fm.removeItem(at: root.appendingPathComponent(name))
        }
        try? fm.removeItem(at: manifestURL)
    }

    static func manifest(_ settings: SynthesisSettings, classes: [SyntheticClass]) -> String {
        let classList: [PythonStyleJSON] = classes.map { c in
            .object(["name": .string(c.name), "shape": .string(c.shapeDescription), "size": .number("\(c.size)")])
        }
        var root: [String: PythonStyleJSON] = [
            "_comment": .string("SYNTHETIC data made by pointad; not benchmark data."),
            "pointad_synthetic": .bool(true),
            "generator": .string("pointad \(PointADVersion.string)"),
            "layout": .string(settings.layout.rawValue),
            "seed": .number(String(settings.seed)),
            "classes": .array(classList),
            "test_samples": .int(settings.testSamples),
            "train_samples": .int(settings.resolvedTrainSamples),
            "defect_kinds": .array(settings.layout.defectKinds.map { .string($0.rawValue) }),
            "mesh_resolution": .int(settings.meshResolution),
        ]
        if settings.layout == .mvtec3d {
            root["image_width"] = .int(settings.imageWidth)
            root["image_height"] = .int(settings.imageHeight)
            root["scene"] = .string(settings.scene.rawValue)
        } else {
            root["points"] = .int(settings.points)
        }
        return PythonStyleJSON.object(root).document
    }
}

/// Errors from parallel work, reported in job order so the message is the same on every run.
private final class FailureList: @unchecked Sendable {
    private var failures: [(Int, Error)] = []
    private let lock = NSLock()

    func record(_ index: Int, _ error: Error) {
        lock.lock()
        failures.append((index, error))
        lock.unlock()
    }

    var first: Error? { failures.min { $0.0 < $1.0 }?.1 }
}
