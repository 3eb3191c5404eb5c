/// The version printed by `pointad --version` and written into every output's metadata.
public enum PointADVersion {
    public static let string = "0.1.0"
}
