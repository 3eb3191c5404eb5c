import Foundation
import PointADSupport

/// Writes PLY point clouds (binary little-endian by default, ascii on request): float x y z,
/// float nx ny nz when present, uchar red green blue (a heat map of the anomaly scores when the
/// cloud carries them, else its colours), then every scalar field as a float property.
public enum PLYWriter {
    public enum Encoding: String, Sendable, CaseIterable {
        case binaryLittleEndian = "binary"
        case ascii
    }

    /// `comments` become `comment` header lines (metadata; readers such as CloudCompare and
    /// MeshLab skip them). Line breaks in a comment are replaced by spaces.
    public static func write(_ cloud: PointCloud, to url: URL, encoding: Encoding = .binaryLittleEndian, heatMap: HeatMap? = HeatMap(),
                             comments: [String] = []) throws {
        try AtomicFile.write(encode(cloud, encoding: encoding, heatMap: heatMap, path: url.path, comments: comments), to: url)
    }

    static func encode(_ cloud: PointCloud, encoding: Encoding, heatMap: HeatMap?, path: String, comments: [String] = []) throws -> Data {
        let layout = try WrittenLayout(cloud, heatMap: heatMap, path: path)
        var header = "ply\nformat \(encoding == .ascii ? "ascii" : "binary_little_endian") 1.0\ncomment written by pointad\n"
        for comment in comments {
            header += "comment \(comment.map { $0.isNewline ? " " : String($0) }.joined())\n"
        }
        header += "element vertex \(cloud.count)\nproperty float x\nproperty float y\nproperty float z\n"
        if cloud.normals != nil { header += "property float nx\nproperty float ny\nproperty float nz\n" }
        if layout.colors != nil { header += "property uchar red\nproperty uchar green\nproperty uchar blue\n" }
        for name in layout.scalarNames { header += "property float \(name)\n" }
        header += "end_header\n"
        let scalars = layout.scalarNames.map { cloud.scalars[$0]! }

        if encoding == .ascii {
            var out = TextOutput()
            out.append(header)
            for i in 0..<cloud.count {
                let p = cloud.positions[i]
                out.append(p.x); out.space(); out.append(p.y); out.space(); out.append(p.z)
                if let n = cloud.normals?[i] { out.space(); out.append(n.x); out.space(); out.append(n.y); out.space(); out.append(n.z) }
                if let c = layout.colors?[i] {
                    out.space(); out.append(Int(c.0)); out.space(); out.append(Int(c.1)); out.space(); out.append(Int(c.2))
                }
                for s in scalars { out.space(); out.append(s[i]) }
                out.newline()
            }
            return Data(out.bytes)
        }

        let row = 12 + (cloud.normals != nil ? 12 : 0) + (layout.colors != nil ? 3 : 0) + 4 * scalars.count
        var data = Data(header.utf8)
        let headerSize = data.count
        data.count += row * cloud.count
        data.withUnsafeMutableBytes { raw in
            var p = raw.baseAddress! + headerSize
            func put(_ v: Float) { p.storeBytes(of: v.bitPattern.littleEndian, as: UInt32.self); p += 4 }
            for i in 0..<cloud.count {
                let q = cloud.positions[i]
                put(q.x); put(q.y); put(q.z)
                if let n = cloud.normals?[i] { put(n.x); put(n.y); put(n.z) }
                if let c = layout.colors?[i] {
                    p.storeBytes(of: c.0, as: UInt8.self); p.storeBytes(of: c.1, toByteOffset: 1, as: UInt8.self)
                    p.storeBytes(of: c.2, toByteOffset: 2, as: UInt8.self); p += 3
                }
                for s in scalars { put(s[i]) }
            }
        }
        return data
    }
}
