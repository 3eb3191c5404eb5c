/// Which layers score the points.
public enum DetectionMethod: String, Sendable, Codable, CaseIterable {
    /// The rendering layer alone (PointAD, NeurIPS 2024).
    case pointad
    /// Rendering and geometry layers (PointAD+).
    case pointadPlus = "pointad+"
}
