import Foundation
import PointClouds

/// Independent encoders the tests use to write input files byte by byte (they share no code with
/// the readers), plus small helpers.
enum TestFiles {
    /// Little-endian or big-endian bytes of `value` stored as the PLY/PCD type `type`
    /// (PLY spelling, any alias).
    static func bytes(_ value: Double, type: String, bigEndian: Bool) -> [UInt8] {
        func raw<T: FixedWidthInteger>(_ v: T) -> [UInt8] {
            let ordered = bigEndian ? v.bigEndian : v.littleEndian
            return withUnsafeBytes(of: ordered) { Array($0) }
        }
        switch type {
        case "char", "int8": return raw(Int8(value))
        case "uchar", "uint8": return raw(UInt8(value))
        case "short", "int16": return raw(Int16(value))
        case "ushort", "uint16": return raw(UInt16(value))
        case "int", "int32": return raw(Int32(value))
        case "uint", "uint32": return raw(UInt32(value))
        case "float", "float32": return raw(Float(value).bitPattern)
        case "double", "float64": return raw(value.bitPattern)
        default: fatalError("unknown test type \(type)")
        }
    }

    /// Text for `value` as the given type: integers plainly, floats with enough digits to round-trip.
    static func text(_ value: Double, type: String) -> String {
        switch type {
        case "float", "float32": return "\(Float(value))"
        case "double", "float64": return "\(value)"
        default: return String(Int(value))
        }
    }

    /// A value that the type represents exactly, drawn from `rng`.
    static func value(for type: String, using rng: inout SplitMix64) -> Double {
        switch type {
        case "char", "int8": return Double(Int8.random(in: .min ... .max, using: &rng))
        case "uchar", "uint8": return Double(UInt8.random(in: .min ... .max, using: &rng))
        case "short", "int16": return Double(Int16.random(in: .min ... .max, using: &rng))
        case "ushort", "uint16": return Double(UInt16.random(in: .min ... .max, using: &rng))
        case "int", "int32": return Double(Int32.random(in: -(1 << 24) ... (1 << 24), using: &rng))
        case "uint", "uint32": return Double(UInt32.random(in: 0 ... (1 << 24), using: &rng))
        case "float", "float32": return Double(Float.random(in: -1000 ... 1000, using: &rng))
        default: return Double.random(in: -1e6 ... 1e6, using: &rng)
        }
    }

    static func write(_ bytes: [UInt8], _ name: String, in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    static func write(_ text: String, _ name: String, in directory: URL) throws -> URL {
        try write(Array(text.utf8), name, in: directory)
    }
}

/// A tiny seeded generator (SplitMix64) so test files are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension PointCloud {
    /// A named per-point column: positions, normals, colours (×255 when the file stored bytes) or a scalar.
    func column(_ name: String, colorsAreBytes: Bool = true) -> [Float]? {
        let triples: [(String, [SIMD3<Float>]?, Float)] = [
            ("x", positions, 1), ("nx", normals, 1), ("normal_x", normals, 1), ("red", colors, colorsAreBytes ? 255 : 1),
        ]
        let offsets: [String: (String, Int)] = [
            "x": ("x", 0), "y": ("x", 1), "z": ("x", 2), "nx": ("nx", 0), "ny": ("nx", 1), "nz": ("nx", 2),
            "normal_x": ("nx", 0), "normal_y": ("nx", 1), "normal_z": ("nx", 2),
            "red": ("red", 0), "green": ("red", 1), "blue": ("red", 2),
        ]
        if let (group, lane) = offsets[name], let entry = triples.first(where: { $0.0 == group }), let vectors = entry.1 {
            return vectors.map { entry.2 == 1 ? $0[lane] : ($0[lane] * entry.2).rounded() }
        }
        return scalars[name]
    }
}

/// Order-sensitive exact digest of float32 bit patterns: Σ (i+1)·bits(v_i) mod 2^64 (the same
/// formula computed with numpy over plyfile's arrays gives the expected values in the tests).
func bitDigest(_ values: [Float]) -> UInt64 {
    var d: UInt64 = 0
    for (i, v) in values.enumerated() { d = d &+ UInt64(i + 1) &* UInt64(v.bitPattern) }
    return d
}

/// Float arrays equal bit for bit (so NaN payloads and -0 count).
func sameBits(_ a: [Float], _ b: [Float]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
}
