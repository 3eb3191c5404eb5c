import Imaging

/// One rendered view: what CLIP sees, the label mask, and where every point went.
public struct RenderedView: Sendable {
    /// Rotation applied to the cloud (pre-rotation included) about its centroid.
    public let rotation: RotationMatrix
    public let camera: PinholeCamera
    /// Grey points on white, RGB, `size`×`size`; nil when only the correspondence was asked for.
    public let image: Image?
    /// Per-point labels splatted on black (1 channel); nil without labels.
    public let mask: Image?
    public let projection: ViewProjection
}
