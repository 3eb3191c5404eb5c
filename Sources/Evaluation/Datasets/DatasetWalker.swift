import Foundation
import PointADSupport

/// Lists the samples of a benchmark exactly as its official code does (see each layout's file),
/// in a fixed order: class, split, defect, stem, all sorted by name. Reads directory listings only.
public struct DatasetWalker: Sendable {
    public let kind: DatasetKind
    public let root: URL

    public init(kind: DatasetKind, root: URL) {
        self.kind = kind
        self.root = root
    }

    /// The classes found under the root, sorted.
    public func classes() throws -> [String] {
        try requireDirectory(root)
        switch kind {
        case .mvtec3d, .eyecandies:
            try rejectRawEyecandies()
            return try Listing.subdirectories(root).filter { c in
                ["train", "validation", "test"].contains { Listing.isDirectory(root.appendingPathComponent(c).appendingPathComponent($0)) }
            }
        case .real3d, .shapenet:
            return try Listing.subdirectories(root).filter { c in
                ["train", "test"].contains { Listing.isDirectory(root.appendingPathComponent(c).appendingPathComponent($0)) }
            }
        case .plain:
            return try PlainFolderLayout.classes(root)
        }
    }

    /// The samples of `classes` (all when nil) in `splits` (`test`, `train`, `validation`).
    /// - Throws: `UsageError` for an unknown class or split; `FileError` for an unreadable folder.
    public func samples(classes selected: [String]? = nil, splits: [String] = ["test"]) throws -> [SampleDescriptor] {
        let available = try classes()
        guard !available.isEmpty else { throw FileError(root.path, "no \(kind.rawValue) classes found (expected \(layoutHint))") }
        for c in selected ?? [] where !available.contains(c) {
            throw UsageError("no class '\(c)' in \(root.path) (found: \(available.joined(separator: ", ")))")
        }
        for s in splits where !["test", "train", "validation"].contains(s) {
            throw UsageError("unknown split '\(s)' (test, train or validation)")
        }
        var result: [SampleDescriptor] = []
        for c in available where selected?.contains(c) ?? true {
            let classDir = root.appendingPathComponent(c)
            for split in ["test", "train", "validation"] where splits.contains(split) {
                switch kind {
                case .mvtec3d, .eyecandies: result += try MVTecLayout.samples(classDir: classDir, className: c, split: split)
                case .real3d: result += try PointSetLayout.real3d.samples(classDir: classDir, className: c, split: split)
                case .shapenet: result += try PointSetLayout.shapenet.samples(classDir: classDir, className: c, split: split)
                case .plain: if split == "test" { result += try PlainFolderLayout.samples(root: root, className: c) }
                }
            }
        }
        return result
    }

    private var layoutHint: String {
        switch kind {
        case .mvtec3d, .eyecandies: "<class>/test/<defect>/xyz/*.tiff"
        case .real3d: "<class>/test/*.pcd and <class>/gt/*.txt"
        case .shapenet: "<class>/test/*.pcd and <class>/GT/*.txt"
        case .plain: "*.ply, *.pcd or *.tiff files, optionally in class folders"
        }
    }

    private func requireDirectory(_ url: URL) throws {
        guard Listing.isDirectory(url) else { throw FileError(url.path, "not a directory") }
    }

    /// Eyecandies as released (Pipelime underfolders with depth PNGs) has no point clouds yet; the
    /// 3D-AD papers convert it first. Say so instead of finding nothing.
    private func rejectRawEyecandies() throws {
        guard kind == .eyecandies else { return }
        for c in try Listing.subdirectories(root) where Listing.isDirectory(root.appendingPathComponent(c).appendingPathComponent("test_public")) {
            throw FileError(root.appendingPathComponent(c).path, "raw Eyecandies underfolder layout (test_public/data); convert it to the MVTec 3D-AD layout first with M3DM's utils/preprocess_eyecandies.py, as PointAD and M3DM do")
        }
    }
}

/// Sorted directory listings without hidden entries.
enum Listing {
    static func isDirectory(_ url: URL) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) && isDir.boolValue
    }

    static func entries(_ url: URL) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: url.path).filter { !$0.hasPrefix(".") }.sorted()
        } catch {
            throw FileError(url.path, "cannot list directory: \(SystemErrorText.describe(error))")
        }
    }

    static func subdirectories(_ url: URL) throws -> [String] {
        try entries(url).filter { isDirectory(url.appendingPathComponent($0)) }
    }

    /// Regular files with one of `extensions` (compared case-insensitively), sorted.
    static func files(_ url: URL, extensions: Set<String>) throws -> [String] {
        guard isDirectory(url) else { return [] }
        return try entries(url).filter {
            extensions.contains(($0 as NSString).pathExtension.lowercased()) && !isDirectory(url.appendingPathComponent($0))
        }
    }

    static func stem(_ name: String) -> String { (name as NSString).deletingPathExtension }
}
