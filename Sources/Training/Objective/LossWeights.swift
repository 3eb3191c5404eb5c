import PointADSupport

/// Weights of the training loss terms. The reference sums its four terms with weight 1
/// (dossier §6.2); the alignment term belongs to PointAD+.
public struct LossWeights: Sendable, Equatable, Codable {
    /// 2D pixel focal loss on the rendered views.
    public var pixelFocal: Float = 1
    /// 2D pixel dice (abnormal and normal channels).
    public var pixelDice: Float = 1
    /// 3D point dice on the back-projected maps (both channels).
    public var pointDice: Float = 1
    /// Object cross-entropy on the view-averaged class-token logits (`d3_global_loss`).
    public var objectCrossEntropy: Float = 1
    /// Per-view cross-entropy of the class-token logits against the view labels (`d2_image_loss`).
    public var viewCrossEntropy: Float = 1
    /// PointAD+: geometry-layer point dice (both channels).
    public var geometryDice: Float = 1
    /// PointAD+: cross-hierarchy alignment (InfoNCE).
    public var alignment: Float = 0.1

    public init() {}
}

/// The loss terms of one batch, unweighted, and their weighted sum.
public struct LossTerms: Sendable, Equatable, Codable {
    public var pixelFocal = 0.0
    public var pixelDice = 0.0
    public var pointDice = 0.0
    public var objectCrossEntropy = 0.0
    public var viewCrossEntropy = 0.0
    public var geometryDice = 0.0
    public var alignment = 0.0
    public var total = 0.0

    public init() {}

    /// Element-wise sum (for epoch means).
    public static func + (a: LossTerms, b: LossTerms) -> LossTerms {
        var r = LossTerms()
        r.pixelFocal = a.pixelFocal + b.pixelFocal
        r.pixelDice = a.pixelDice + b.pixelDice
        r.pointDice = a.pointDice + b.pointDice
        r.objectCrossEntropy = a.objectCrossEntropy + b.objectCrossEntropy
        r.viewCrossEntropy = a.viewCrossEntropy + b.viewCrossEntropy
        r.geometryDice = a.geometryDice + b.geometryDice
        r.alignment = a.alignment + b.alignment
        r.total = a.total + b.total
        return r
    }

    public func scaled(by s: Double) -> LossTerms {
        var r = self
        r.pixelFocal *= s; r.pixelDice *= s; r.pointDice *= s; r.objectCrossEntropy *= s
        r.viewCrossEntropy *= s; r.geometryDice *= s; r.alignment *= s; r.total *= s
        return r
    }

    /// Short form for the progress line, named as the reference's log (d2_pixel = focal + dice).
    public var summary: String {
        var s = String(format: "loss %.4f  pixel %.3f  point %.3f  global %.3f  image %.3f",
                       total, pixelFocal + pixelDice, pointDice, objectCrossEntropy, viewCrossEntropy)
        if geometryDice != 0 || alignment != 0 { s += String(format: "  geo %.3f  align %.3f", geometryDice, alignment) }
        return s
    }
}

extension LossWeights {
    /// The names `--loss-weights` accepts, with the property each sets.
    nonisolated(unsafe) static let names: [(String, WritableKeyPath<LossWeights, Float>)] = [
        ("pixel-focal", \.pixelFocal), ("pixel-dice", \.pixelDice), ("point-dice", \.pointDice),
        ("object-ce", \.objectCrossEntropy), ("view-ce", \.viewCrossEntropy),
        ("geometry-dice", \.geometryDice), ("alignment", \.alignment),
    ]

    /// Parses "name=value,name=value" (unnamed terms keep their defaults), e.g. "point-dice=2,view-ce=0.5".
    public init(parsing text: String) throws {
        self.init()
        for item in text.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let path = Self.names.first(where: { $0.0 == parts[0] })?.1,
                  let value = Float(parts[1]), value >= 0, value.isFinite
            else {
                throw UsageError("loss weights: expected name=value with a value ≥ 0 and a name among \(Self.names.map(\.0).joined(separator: ", ")), got '\(item)'")
            }
            self[keyPath: path] = value
        }
    }
}
