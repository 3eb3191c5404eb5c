/// pointad's deliberate departures from the authors' code, all switched at once.
public enum ScoringBehaviour: String, Sendable, Equatable, Codable, CaseIterable {
    /// pointad's defaults: a point no view sees takes the nearest seen point *in space*; an
    /// unorganised cloud's scores are smoothed over its 3-D neighbours.
    case improved
    /// As the authors' `test.py` / `test_only_point.py`: an unseen point takes the views of the
    /// nearest seen point in file order, and a cloud's point list (Real3D-AD's 112,896 resampled
    /// points) is smoothed as the 336×336 image it is reshaped to (dossier §3.2–3.4).
    case reference
}
