import Foundation
import PointADSupport

/// The one entry point other modules use to read and write point clouds: picks the format from
/// the file extension (or, for unknown extensions, from the first bytes).
public enum PointCloudFile {
    public enum Format: String, Sendable, CaseIterable {
        case ply, pcd
        /// MVTec 3D-AD organised xyz (.tif, .tiff).
        case xyzTIFF = "tiff"
        /// One point per line: Real3D-AD / Anomaly-ShapeNet ground truth, .xyz (.txt, .csv, .xyz).
        case pointText = "txt"
    }

    /// What `pointad info` prints about a file besides the cloud itself.
    public struct Summary: Sendable {
        public var format: Format
        /// e.g. "PLY binary_little_endian", "PCD binary_compressed", "TIFF 800x800 float32 xyz".
        public var encoding: String
        /// Properties as "name type" in file order (for text: the columns).
        public var properties: [String]
        /// Other elements, organisation, comments.
        public var notes: [String]
    }

    public static func format(of url: URL) throws -> Format {
        switch url.pathExtension.lowercased() {
        case "ply": return .ply
        case "pcd": return .pcd
        case "tif", "tiff": return .xyzTIFF
        case "txt", "csv", "xyz": return .pointText
        default:
            let data = try FileBytes.load(url)
            let head = [UInt8](data.prefix(64))
            if head.starts(with: Array("ply".utf8)) { return .ply }
            if head.starts(with: [0x49, 0x49, 0x2A, 0x00]) || head.starts(with: [0x4D, 0x4D, 0x00, 0x2A])
                || head.starts(with: [0x49, 0x49, 0x2B, 0x00]) || head.starts(with: [0x4D, 0x4D, 0x00, 0x2B]) { return .xyzTIFF }
            let text = String(decoding: head, as: UTF8.self)
            if text.hasPrefix("# .PCD") || text.hasPrefix("VERSION") || text.hasPrefix("FIELDS") { return .pcd }
            throw FileError(url.path, "unknown point cloud format (expected .ply, .pcd, .tiff, .txt, .csv or .xyz)")
        }
    }

    /// Reads any supported point cloud file.
    public static func read(_ url: URL) throws -> PointCloud {
        try describe(url).cloud
    }

    /// Reads a file and describes how it was stored.
    public static func describe(_ url: URL) throws -> (cloud: PointCloud, summary: Summary) {
        let format = try format(of: url)
        switch format {
        case .ply:
            let (cloud, header) = try PLYReader.readWithHeader(url)
            let points = header.pointElementIndex!
            let properties = header.elements[points].properties.map { p in
                p.listCountType.map { "\(p.name) list \($0.plyName) \(p.type.plyName)" } ?? "\(p.name) \(p.type.plyName)"
            }
            var notes = header.elements.enumerated().filter { $0.offset != points }.map { "element \($0.element.name) \($0.element.count) (skipped)" }
            notes += header.comments.map { "comment \($0)" }
            return (cloud, Summary(format: .ply, encoding: "PLY \(header.format.rawValue)", properties: properties, notes: notes))
        case .pcd:
            let (cloud, header) = try PCDReader.readWithHeader(url)
            let properties = header.fields.map { f in
                "\(f.name) \(f.type.pcdType)\(f.type.size)" + (f.count > 1 ? "×\(f.count)" : "")
            }
            var notes = ["width \(header.width) height \(header.height)"]
            if let grid = cloud.grid { notes.append("organised: \(grid.width * grid.height - cloud.count) NaN points left out") }
            return (cloud, Summary(format: .pcd, encoding: "PCD \(header.encoding.rawValue)", properties: properties, notes: notes))
        case .xyzTIFF:
            let image = try XYZTIFFFile.read(url)
            let cloud = image.pointCloud(source: url.path)
            guard cloud.count > 0 else {
                throw FileError(url.path, "contains no valid points (all \(image.width)x\(image.height) pixels are zero or non-finite)")
            }
            let invalid = image.width * image.height - cloud.count
            return (cloud, Summary(format: .xyzTIFF, encoding: "TIFF \(image.width)x\(image.height) xyz", properties: ["x float", "y float", "z float"],
                                   notes: ["organised \(image.width)x\(image.height): \(cloud.count) valid, \(invalid) invalid (zero or non-finite) pixels"]))
        case .pointText:
            let cloud = try PointTextReader.read(url)
            var columns = ["x", "y", "z"]
            if cloud.normals != nil { columns += ["nx", "ny", "nz"] }
            if cloud.scalars["label"] != nil { columns.append("label") }
            return (cloud, Summary(format: .pointText, encoding: "text, one point per line", properties: columns, notes: []))
        }
    }

    /// Writes a cloud in the format of the extension: .ply (binary unless `ascii`), .pcd (binary
    /// unless `ascii`), .tiff/.tif (organised clouds only), .txt/.csv (x y z [label]).
    /// `comments` are kept by the PLY writer only (the other formats have no place for them).
    public static func write(_ cloud: PointCloud, to url: URL, ascii: Bool = false, heatMap: HeatMap? = HeatMap(), comments: [String] = []) throws {
        switch url.pathExtension.lowercased() {
        case "ply": try PLYWriter.write(cloud, to: url, encoding: ascii ? .ascii : .binaryLittleEndian, heatMap: heatMap, comments: comments)
        case "pcd": try PCDWriter.write(cloud, to: url, encoding: ascii ? .ascii : .binary, heatMap: heatMap)
        case "tif", "tiff":
            let image: XYZImage
            do { image = try XYZImage(organizing: cloud) } catch let error as UsageError { throw FileError(url.path, error.message) }
            try XYZTIFFFile.write(image, to: url)
        case "txt", "csv": try PointTextWriter.write(cloud, to: url, separator: url.pathExtension.lowercased() == "csv" ? "," : " ")
        default: throw FileError(url.path, "cannot tell the output format from the extension (use .ply, .pcd, .tiff, .txt or .csv)")
        }
    }
}
