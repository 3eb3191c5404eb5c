import Foundation
import PointADSupport

/// Writes PCD v0.7 (ascii, binary, or binary_compressed with literal-only LZF): F4 x y z,
/// normal_x/y/z when present, rgb as U4 packed 0x00RRGGBB (as Open3D writes it; a heat map of the
/// anomaly scores when present), then every scalar field as F4.
public enum PCDWriter {
    public static func write(_ cloud: PointCloud, to url: URL, encoding: PCDHeader.Encoding = .binary, heatMap: HeatMap? = HeatMap()) throws {
        try AtomicFile.write(encode(cloud, encoding: encoding, heatMap: heatMap, path: url.path), to: url)
    }

    static func encode(_ cloud: PointCloud, encoding: PCDHeader.Encoding, heatMap: HeatMap?, path: String) throws -> Data {
        let layout = try WrittenLayout(cloud, heatMap: heatMap, path: path)
        // Columns as (name, type letter, per-point 4-byte word).
        var names = ["x", "y", "z"]
        var types = ["F", "F", "F"]
        var words: [(Int) -> UInt32] = [{ cloud.positions[$0].x.bitPattern }, { cloud.positions[$0].y.bitPattern }, { cloud.positions[$0].z.bitPattern }]
        if let normals = cloud.normals {
            names += ["normal_x", "normal_y", "normal_z"]; types += ["F", "F", "F"]
            words += [{ normals[$0].x.bitPattern }, { normals[$0].y.bitPattern }, { normals[$0].z.bitPattern }]
        }
        if let colors = layout.colors {
            names.append("rgb"); types.append("U")
            words.append { UInt32(colors[$0].0) << 16 | UInt32(colors[$0].1) << 8 | UInt32(colors[$0].2) }
        }
        for name in layout.scalarNames {
            let values = cloud.scalars[name]!
            names.append(name); types.append("F"); words.append { values[$0].bitPattern }
        }
        let n = cloud.count, fields = names.count
        var header = "# .PCD v0.7 - Point Cloud Data file format\nVERSION 0.7\n"
        header += "FIELDS \(names.joined(separator: " "))\nSIZE \(Array(repeating: "4", count: fields).joined(separator: " "))\n"
        header += "TYPE \(types.joined(separator: " "))\nCOUNT \(Array(repeating: "1", count: fields).joined(separator: " "))\n"
        header += "WIDTH \(n)\nHEIGHT 1\nVIEWPOINT 0 0 0 1 0 0 0\nPOINTS \(n)\nDATA \(encoding.rawValue)\n"

        switch encoding {
        case .ascii:
            var out = TextOutput()
            out.append(header)
            for i in 0..<n {
                for f in 0..<fields {
                    if f > 0 { out.space() }
                    let w = words[f](i)
                    if types[f] == "U" { out.append(Int(w)) } else { out.append(Float(bitPattern: w)) }
                }
                out.newline()
            }
            return Data(out.bytes)
        case .binary, .binaryCompressed:
            // AoS for binary, SoA (field after field) for binary_compressed.
            var payload = [UInt32](repeating: 0, count: n * fields)
            for i in 0..<n {
                for f in 0..<fields {
                    let w = words[f](i).littleEndian
                    if encoding == .binary { payload[i * fields + f] = w } else { payload[f * n + i] = w }
                }
            }
            var data = Data(header.utf8)
            payload.withUnsafeBytes { raw in
                if encoding == .binary {
                    data.append(contentsOf: raw)
                } else {
                    let compressed = LZF.literalEncode(raw)
                    withUnsafeBytes(of: UInt32(compressed.count).littleEndian) { data.append(contentsOf: $0) }
                    withUnsafeBytes(of: UInt32(raw.count).littleEndian) { data.append(contentsOf: $0) }
                    data.append(contentsOf: compressed)
                }
            }
            return data
        }
    }
}
