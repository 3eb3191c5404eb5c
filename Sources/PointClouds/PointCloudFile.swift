import Foundation
import PointADSupport

/// The one entry point other modules use to read and write point clouds: picks the format from
/// the file extension (or, for unknown extensions, from the first bytes).
public enum PointCloudFile {
    public enum Format: String, Sendable, CaseIterable {
        case ply, pcd
        /// MVTec 3D-AD organised xyz (.tif, .tiff).
        case xyzTIFF = "tiff"
        /// One point per line: Real3D-AD / Anomaly-ShapeNet ground truth, .xyz, .csv exports.
        case pointText = "txt"
        /// A NumPy array of N×3 or N×6 floats.
        case npy
        /// Meshes, scored on points sampled on their surface.
        case obj, stl, off

        /// The file extensions read as this format (lower case; the first is the usual one).
        public var extensions: [String] {
            switch self {
            case .ply: ["ply"]
            case .pcd: ["pcd"]
            case .xyzTIFF: ["tiff", "tif"]
            case .pointText: ["txt", "xyz", "csv"]
            case .npy: ["npy"]
            case .obj: ["obj"]
            case .stl: ["stl"]
            case .off: ["off"]
            }
        }

        public var isMesh: Bool { self == .obj || self == .stl || self == .off }

        /// Every extension read, for listing folders.
        public static let allExtensions: Set<String> = Set(allCases.flatMap(\.extensions))

        /// The one description of what pointad reads, used by `--help`, errors and the README
        /// (a test checks that the README carries it verbatim).
        public static let listing = "point clouds .ply, .pcd, .tiff/.tif (MVTec 3D-AD xyz), .txt/.xyz/.csv (one point per line), .npy (N×3 or N×6); "
            + "meshes \(meshExtensions) (scored on points sampled on the surface)"

        public static let meshExtensions = ".obj, .stl, .off"
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
        /// For mesh files: the mesh itself (the cloud is then the points sampled on it).
        public var mesh: TriangleMesh? = nil
    }

    public static func format(of url: URL) throws -> Format {
        let ext = url.pathExtension.lowercased()
        if let format = Format.allCases.first(where: { $0.extensions.contains(ext) }) { return format }
        let data = try FileBytes.load(url)
        let head = [UInt8](data.prefix(64))
        if head.starts(with: Array("ply".utf8)) { return .ply }
        if head.starts(with: [0x49, 0x49, 0x2A, 0x00]) || head.starts(with: [0x4D, 0x4D, 0x00, 0x2A])
            || head.starts(with: [0x49, 0x49, 0x2B, 0x00]) || head.starts(with: [0x4D, 0x4D, 0x00, 0x2B]) { return .xyzTIFF }
        if head.starts(with: [0x93] + Array("NUMPY".utf8)) { return .npy }
        let text = String(decoding: head, as: UTF8.self)
        if text.hasPrefix("# .PCD") || text.hasPrefix("VERSION") || text.hasPrefix("FIELDS") { return .pcd }
        throw FileError(url.path, "unknown file format '.\(ext)' (pointad reads \(Format.listing))")
    }

    /// Reads any supported file as the cloud to score (a mesh: points sampled on its surface).
    public static func read(_ url: URL, options: CloudLoadOptions = CloudLoadOptions()) throws -> PointCloud {
        try describe(url, options: options).cloud
    }

    /// Reads a file and describes how it was stored.
    public static func describe(_ url: URL, options: CloudLoadOptions = CloudLoadOptions()) throws -> (cloud: PointCloud, summary: Summary) {
        let format = try format(of: url)
        if options.columns != nil && format != .pointText && format != .npy {
            options.warn("\(url.path): --columns applies to text and .npy files only; ignored for this \(format.extensions[0]) file")
        }
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
        case .pointText, .npy:
            let cloud = format == .npy
                ? try NPYPointReader.read(url, columns: options.columns, warn: options.warn)
                : try PointTextReader.read(url, columns: options.columns, warn: options.warn)
            var columns = ["x", "y", "z"]
            if cloud.normals != nil { columns += ["nx", "ny", "nz"] }
            if cloud.colors != nil { columns += ["r", "g", "b"] }
            columns += cloud.scalars.keys.sorted()
            let encoding = format == .npy ? "NumPy array" : "text, one point per line"
            return (cloud, Summary(format: format, encoding: encoding, properties: columns, notes: []))
        case .obj, .stl, .off:
            let (mesh, encoding) = try MeshFile.read(url)
            let cloud = MeshSurfaceSampler.sample(mesh, count: options.surfacePoints, seed: options.seed, source: url.path)
            let sampled = cloud.count == mesh.vertices.count && cloud.normals == nil
                ? "no faces with area: its \(mesh.vertices.count) vertices are the points"
                : "\(cloud.count) points sampled on the surface (area-weighted, seed \(options.seed)) are scored"
            return (cloud, Summary(format: format, encoding: encoding, properties: ["x float", "y float", "z float"],
                                   notes: ["\(mesh.vertices.count) vertices, \(mesh.triangles.count) triangles (polygons split into fans)", sampled],
                                   mesh: mesh))
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
