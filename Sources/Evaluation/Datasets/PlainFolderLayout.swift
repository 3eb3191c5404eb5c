import Foundation
import PointADSupport

/// A folder of clouds that follows no benchmark: `*.ply`, `*.pcd`, `*.tiff` either directly in the
/// folder (one class named after it) or in class subfolders. Labels are optional:
/// - `labels.csv` beside the clouds: `stem,label` rows (label 0 normal, nonzero anomalous; a
///   header row is allowed);
/// - `gt/<stem>.npy` beside the clouds: per-point labels in the cloud's point order (nonzero =
///   anomalous); a sample without `labels.csv` entry is then anomalous when any point is.
enum PlainFolderLayout {
    static let cloudExtensions: Set<String> = ["ply", "pcd", "tiff", "tif"]

    static func classes(_ root: URL) throws -> [String] {
        var result = try Listing.subdirectories(root).filter {
            try $0 != "gt" && !Listing.files(root.appendingPathComponent($0), extensions: cloudExtensions).isEmpty
        }
        if !(try Listing.files(root, extensions: cloudExtensions)).isEmpty { result.insert(root.lastPathComponent, at: 0) }
        return result
    }

    static func samples(root: URL, className: String) throws -> [SampleDescriptor] {
        let dir = (try Listing.files(root, extensions: cloudExtensions)).isEmpty || className != root.lastPathComponent
            ? root.appendingPathComponent(className) : root
        let labels = try readLabels(dir.appendingPathComponent("labels.csv"))
        return try Listing.files(dir, extensions: cloudExtensions).map { file in
            let stem = Listing.stem(file)
            let gt = dir.appendingPathComponent("gt").appendingPathComponent(stem + ".npy")
            let label = labels[stem]
            return SampleDescriptor(
                className: className, split: "test",
                defect: label.map { $0 == 0 ? "good" : "anomalous" } ?? "unlabeled", stem: stem,
                points: dir.appendingPathComponent(file).path,
                groundTruth: FileManager.default.fileExists(atPath: gt.path) ? gt.path : nil,
                label: label)
        }
    }

    /// `stem,label` rows; an absent file means no labels.
    static func readLabels(_ url: URL) throws -> [String: Int] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [:] }
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch { throw FileError(url.path, "cannot read: \(SystemErrorText.describe(error))") }
        var labels: [String: Int] = [:]
        for (number, line) in text.split(whereSeparator: \.isNewline).enumerated() {
            let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard !fields.allSatisfy(\.isEmpty) else { continue }
            guard fields.count == 2, let label = Int(fields[1]) else {
                if number == 0 { continue }  // header
                throw FileError(url.path, "line \(number + 1): expected 'stem,label', found '\(line)'")
            }
            labels[fields[0]] = label == 0 ? 0 : 1
        }
        return labels
    }
}
