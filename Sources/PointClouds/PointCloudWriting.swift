import Imaging
import PointADSupport

/// How per-point anomaly scores become vertex colours in written files, so MeshLab and
/// CloudCompare show a heat map without any set-up.
public struct HeatMap: Sendable {
    /// The scalar field holding the scores.
    public var scalar: String
    /// Scores mapped to the colour map's ends; nil = the field's min…max in this cloud.
    public var range: ClosedRange<Float>?
    public var colorMap: ColorMap

    public init(scalar: String = "anomaly", range: ClosedRange<Float>? = nil, colorMap: ColorMap = .jet) {
        self.scalar = scalar
        self.range = range
        self.colorMap = colorMap
    }

    /// 8-bit RGB per point for `scores`.
    func colors(_ scores: [Float]) -> [(UInt8, UInt8, UInt8)] {
        var lo = Float.infinity, hi = -Float.infinity
        if let range { lo = range.lowerBound; hi = range.upperBound } else {
            for s in scores where s.isFinite { lo = min(lo, s); hi = max(hi, s) }
        }
        let span = hi > lo ? hi - lo : 1
        return scores.map { colorMap.bytes(lo.isFinite ? ($0 - lo) / span : 0) }
    }
}

/// What a writer puts in each row: positions, optional normals, optional 8-bit colours (from a
/// heat map when the cloud carries its scores, else the cloud's colours), then every scalar field
/// by name. Shared by the PLY and PCD writers.
struct WrittenLayout {
    var colors: [(UInt8, UInt8, UInt8)]?
    var scalarNames: [String]

    init(_ cloud: PointCloud, heatMap: HeatMap?, path: String) throws {
        for (name, values) in cloud.scalars {
            guard !name.isEmpty, !name.contains(where: { $0.isWhitespace }), name.allSatisfy(\.isASCII) else {
                throw FileError(path, "scalar field name '\(name)' cannot be written (it must be ASCII without spaces)")
            }
            guard values.count == cloud.count else {
                throw FileError(path, "scalar field '\(name)' has \(values.count) values for \(cloud.count) points")
            }
        }
        if let normals = cloud.normals, normals.count != cloud.count {
            throw FileError(path, "the cloud has \(normals.count) normals for \(cloud.count) points")
        }
        if let heatMap, let scores = cloud.scalars[heatMap.scalar] {
            colors = heatMap.colors(scores)
        } else if let c = cloud.colors {
            guard c.count == cloud.count else { throw FileError(path, "the cloud has \(c.count) colours for \(cloud.count) points") }
            colors = c.map { (Self.byte($0.x), Self.byte($0.y), Self.byte($0.z)) }
        }
        scalarNames = cloud.scalars.keys.sorted()
    }

    static func byte(_ v: Float) -> UInt8 { v.isFinite ? UInt8(min(max(v, 0), 1) * 255 + 0.5) : 0 }
}

/// Fast ASCII output: appends numbers as text to a byte buffer.
struct TextOutput {
    var bytes: [UInt8] = []

    mutating func append(_ s: String) { bytes.append(contentsOf: s.utf8) }
    /// Shortest text that reads back to the same float32 bits.
    mutating func append(_ v: Float) { append(v.description) }
    mutating func append(_ v: Int) { append(String(v)) }
    mutating func space() { bytes.append(0x20) }
    mutating func newline() { bytes.append(0x0A) }
}
