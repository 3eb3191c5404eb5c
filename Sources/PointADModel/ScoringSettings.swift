import PointADSupport

/// Settings that decide how a cloud is scored once its views' features exist.
public struct ScoringSettings: Sendable, Equatable, Codable {
    public var method: DetectionMethod = .pointad
    public var aggregation = GeometryAggregation()
    public var fusion = ScoreFusion()
    public var temperature: Float = SimilarityTemperature.reference
    /// Where pointad departs from the authors' code on purpose; nil is pointad's (`.improved`).
    public var behaviour: ScoringBehaviour?

    public init(method: DetectionMethod = .pointad, aggregation: GeometryAggregation = GeometryAggregation(),
                fusion: ScoreFusion = ScoreFusion(), temperature: Float = SimilarityTemperature.reference,
                behaviour: ScoringBehaviour? = nil) {
        self.behaviour = behaviour
        self.method = method
        self.aggregation = aggregation
        self.fusion = fusion
        self.temperature = temperature
    }

    public func validate() throws {
        try aggregation.validate()
        try fusion.validate()
        guard temperature > 0, temperature.isFinite else { throw UsageError("temperature must be > 0, got \(temperature)") }
    }

    /// Neighbours per point the geometry layer needs (0 for PointAD).
    public var neighboursNeeded: Int { method == .pointadPlus ? aggregation.neighbours : 0 }
}
