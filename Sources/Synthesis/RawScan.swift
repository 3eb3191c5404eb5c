/// A raw table scan with the truth only synthesis knows: which pixels see the object (rather
/// than the table or the clutter on it), and the table's plane. Tests measure preprocessing by it.
public struct RawScan: Sendable {
    public var scan: DepthScan
    /// One flag per pixel: the nearest surface along the pixel's ray is the object (whether or not
    /// the sensor returned a point there).
    public var objectPixels: [Bool]
    /// The table plane in the camera frame: unit normal (towards the camera) and offset,
    /// normal·p + offset = 0.
    public var tableNormal: SIMD3<Float>
    public var tableOffset: Float

    /// Pixels with a measured point that belong to the object / to everything else.
    public var validObjectPixels: [Int] { validPixels.filter { objectPixels[$0] } }
    public var validBackgroundPixels: [Int] { validPixels.filter { !objectPixels[$0] } }

    var validPixels: [Int] {
        (0..<(scan.width * scan.height)).filter { p in
            scan.xyz[3 * p] != 0 && scan.xyz[3 * p + 1] != 0 && scan.xyz[3 * p + 2] != 0
        }
    }
}
