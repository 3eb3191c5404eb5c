import TensorCore

/// One object class of a synthetic dataset: a name, a procedural design and the real size of its
/// objects in the layout's units (metres for MVTec 3D-AD, millimetres for Real3D-AD, unit scale
/// for Anomaly-ShapeNet, as in the real sets).
public struct SyntheticClass: Sendable {
    public let index: Int
    /// Folder and file-name prefix, e.g. `torus0`: family name and a counter, ending in a digit as
    /// Anomaly-ShapeNet's class names do.
    public let name: String
    public let design: ShapeDesign
    /// The scanned object the class is made of, instead of the design's procedural shape.
    public let scan: ScannedShape?
    /// Bounding radius of the objects.
    public let size: Float
    /// Seed from which every sample of the class is derived.
    public let seed: UInt64

    /// What the class's objects are: the scan's name or the procedural family.
    public var shapeDescription: String { scan.map { "scan \($0.name)" } ?? design.family.rawValue }

    /// The classes of a dataset: the scans (if any), then the procedural families, in turn; each
    /// class with its own design (colours, relief and, for families, shape).
    public static func catalog(count: Int, layout: SyntheticLayout, seed: UInt64, scans: [ScannedShape] = []) -> [SyntheticClass] {
        let families = ShapeFamily.allCases
        let sources = scans.count + families.count
        return (0..<count).map { index in
            let source = index % sources
            let scan = source < scans.count ? scans[source] : nil
            let family = scan == nil ? families[source - scans.count] : .blob
            let classSeed = SeedDerivation.derive(seed, 1, UInt64(index))
            var rng = SeededRandom(seed: classSeed)
            let design = ShapeDesign(family: family, rng: &rng)
            let unit = rng.uniform()
            let size: Float = switch layout {
            case .mvtec3d: 0.025 + 0.015 * unit
            case .real3d: 10 + 9 * unit
            case .shapenet: 0.6 + 0.4 * unit
            }
            let prefix = scan?.classPrefix ?? family.rawValue
            return SyntheticClass(index: index, name: "\(prefix)\(index / sources)", design: design, scan: scan,
                                  size: size, seed: classSeed)
        }
    }
}
