import ArgumentParser
import Evaluation

/// The detector `pointad eval` scores samples with. Hook-up point: the PointADModel module's
/// whole-cloud scorer (model folder + prompts → `SampleScorer`) is not in this build yet; until it
/// is, `pointad eval` stops here before any work, and `pointad metrics` evaluates saved scores.
func detectorScorer(model: String, prompts: String) throws -> any SampleScorer {
    throw ValidationError("pointad eval: the detector is not wired into this build yet (model \(model), prompts \(prompts)); evaluate saved scores with `pointad metrics`")
}
