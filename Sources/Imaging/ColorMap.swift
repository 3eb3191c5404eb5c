/// Colour maps for anomaly heat maps (PNG overlays, PLY vertex colours).
public enum ColorMap: String, Sendable, CaseIterable {
    /// The classic blue→cyan→yellow→red "jet" used by the anomaly-detection literature's figures.
    case jet

    /// RGB in [0, 1] for a value in [0, 1] (clamped).
    public func color(_ value: Float) -> SIMD3<Float> {
        let v = value.isFinite ? min(max(value, 0), 1) : 0
        switch self {
        case .jet:
            let r = min(max(1.5 - abs(4 * v - 3), 0), 1)
            let g = min(max(1.5 - abs(4 * v - 2), 0), 1)
            let b = min(max(1.5 - abs(4 * v - 1), 0), 1)
            return SIMD3(r, g, b)
        }
    }

    /// 8-bit RGB for a value in [0, 1].
    public func bytes(_ value: Float) -> (UInt8, UInt8, UInt8) {
        let c = color(value)
        return (UInt8((c.x * 255).rounded()), UInt8((c.y * 255).rounded()), UInt8((c.z * 255).rounded()))
    }
}
