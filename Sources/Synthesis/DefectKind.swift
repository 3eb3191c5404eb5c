/// The kinds of defect injected into synthetic objects, and what each benchmark calls them.
public enum DefectKind: String, CaseIterable, Sendable, Comparable {
    /// Material pushed outwards: a smooth bulge.
    case bump
    /// Material pressed inwards: a smooth dent.
    case dent
    /// A narrow V-shaped groove along a meandering line.
    case crack
    /// A steep-walled pit, as if drilled.
    case hole
    /// A chunk cut or broken off: the surface flattened along a plane.
    case missing
    /// Foreign material stuck on the surface: an added blob of another colour.
    case extra

    /// The 8-bit value this kind's pixels get in an MVTec-style gt PNG (and in `SurfaceMesh.defect`).
    /// MVTec 3D-AD uses 253…255 for a class's defect kinds; with six kinds this is 250…255.
    public var groundTruthValue: UInt8 {
        switch self {
        case .bump: 255
        case .dent: 254
        case .crack: 253
        case .hole: 252
        case .missing: 251
        case .extra: 250
        }
    }

    /// The kind whose gt value is `value`, if any.
    public init?(groundTruthValue value: UInt8) {
        guard let kind = Self.allCases.first(where: { $0.groundTruthValue == value }) else { return nil }
        self = kind
    }

    /// The folder name under `test/` in an MVTec 3D-AD tree (as MVTec's own: contamination, cut, hole, crack…).
    public var mvtecName: String {
        switch self {
        case .bump: "bump"
        case .dent: "dent"
        case .crack: "crack"
        case .hole: "hole"
        case .missing: "cut"
        case .extra: "contamination"
        }
    }

    /// The name in Real3D-AD file names (bulge, sink, cut, copy); nil for kinds that set lacks.
    public var real3dName: String? {
        switch self {
        case .bump: "bulge"
        case .dent: "sink"
        case .missing: "cut"
        case .extra: "copy"
        case .crack, .hole: nil
        }
    }

    /// The name in Anomaly-ShapeNet file names (bulge, concavity, crack, hole, broken); nil for kinds
    /// that set lacks.
    public var shapenetName: String? {
        switch self {
        case .bump: "bulge"
        case .dent: "concavity"
        case .crack: "crack"
        case .hole: "hole"
        case .missing: "broken"
        case .extra: nil
        }
    }

    public static func < (a: DefectKind, b: DefectKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
