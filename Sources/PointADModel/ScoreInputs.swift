import Foundation
import PointADSupport
import PointClouds

/// One cloud to score and the name its outputs take under `--out`.
public struct ScoreInput: Sendable, Equatable {
    public var url: URL
    /// The output name without extension: a file given directly keeps its name; a file found in
    /// a folder keeps its path relative to that folder (`left/part7`), so outputs never collide.
    public var stem: String

    public init(url: URL, stem: String) {
        self.url = url
        self.stem = stem
    }
}

/// The inputs of a batch: files as given, and point-cloud files inside folders (with
/// `recursive`, in every subfolder too), sorted. Problems with one path are failures of that
/// path, so the rest of the batch still runs.
public struct ScoreInputs: Sendable {
    public static let cloudExtensions: Set<String> = PointCloudFile.Format.allExtensions

    public var inputs: [ScoreInput] = []
    public var failures: [ScoreFailure] = []

    public init(_ paths: [String], recursive: Bool = false) {
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                failures.append(ScoreFailure(file: path, error: "no such file or folder"))
                continue
            }
            let url = URL(fileURLWithPath: path)
            guard isDirectory.boolValue else {
                inputs.append(ScoreInput(url: url, stem: url.deletingPathExtension().lastPathComponent))
                continue
            }
            let found = Self.clouds(in: url, recursive: recursive)
            if found.isEmpty {
                let hint = recursive ? "" : " (subfolders are not searched without --recursive)"
                failures.append(ScoreFailure(file: path, error: "folder holds no file pointad reads (\(PointCloudFile.Format.listing))\(hint)"))
            }
            inputs += found.map { ScoreInput(url: url.appendingPathComponent($0), stem: ($0 as NSString).deletingPathExtension) }
        }
    }

    /// Relative paths of the clouds under `folder`, sorted; hidden files and folders are skipped
    /// (they hold temporaries such as a running batch's staging folder).
    static func clouds(in folder: URL, recursive: Bool) -> [String] {
        let names: [String]
        if recursive {
            let walker = FileManager.default.enumerator(atPath: folder.path)
            var all: [String] = []
            while let name = walker?.nextObject() as? String {
                if name.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
                all.append(name)
            }
            names = all
        } else {
            names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { !$0.hasPrefix(".") }
        }
        return names.filter { name in
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path, isDirectory: &isDirectory)
            return !isDirectory.boolValue && cloudExtensions.contains((name as NSString).pathExtension.lowercased())
        }.sorted()
    }

    /// Refuses two inputs whose outputs would share a name (e.g. `a.ply` and `a.pcd`, or two
    /// `part.ply` given from different folders), naming both; nothing has been scored yet.
    public func checkDistinctOutputs() throws {
        var owner: [String: URL] = [:]
        for input in inputs {
            if let first = owner[input.stem] {
                throw UsageError("\(first.path) and \(input.url.path) would both write '\(input.stem).*' in the output folder; score them in separate runs (or pass their common parent folder, whose relative paths keep them apart)")
            }
            owner[input.stem] = input.url
        }
    }
}
