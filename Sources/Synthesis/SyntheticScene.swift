/// What an MVTec 3D-AD-style synthetic scan shows.
public enum SyntheticScene: String, CaseIterable, Sendable {
    /// A raw scan as the real dataset has them: the object resting on a table that fills the
    /// frame, seen from above by a structured-light sensor, with its shadows, edge dropouts and
    /// noise. The reference preprocessing (`pointad preprocess`, `--preprocess btf`) removes the table.
    case table
    /// The object alone in front of the camera, (0, 0, 0) everywhere else: what preprocessing
    /// leaves, without having to run it.
    case object
}
