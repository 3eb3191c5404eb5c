import Evaluation
import Testing

/// Best-F1 thresholds and the exit verdict of an evaluation, on cases counted by hand.
@Suite("decisions: best-F1 threshold, evaluation verdict")
struct ProductionDecisionTests {
    @Test("best F1 on scores 0.9 (bad), 0.8 (good), 0.7 (bad), 0.2 (good): threshold 0.45, F1 0.8, P 2/3, R 1")
    func bestF1ByHand() throws {
        // Flag {0.9}: P 1, R 1/2, F1 2/3. Flag {0.9, 0.8}: P 1/2, R 1/2, F1 1/2.
        // Flag {0.9, 0.8, 0.7}: P 2/3, R 1, F1 0.8. Flag all: P 1/2, R 1, F1 2/3.
        let best = try #require(BestF1Threshold.find(scores: [0.8, 0.2, 0.9, 0.7], labels: [0, 0, 1, 1]))
        #expect(abs(best.threshold - 0.45) < 1e-6)
        #expect(abs(best.f1 - 0.8) < 1e-12 && abs(best.precision - 2.0 / 3) < 1e-12 && best.recall == 1)
    }

    @Test("perfect separation puts the threshold between the classes; one label only is undefined; ties are one group")
    func edgeCases() throws {
        let best = try #require(BestF1Threshold.find(scores: [0.1, 0.3, 0.6, 0.9], labels: [0, 0, 1, 1]))
        #expect(abs(best.threshold - 0.45) < 1e-6 && best.f1 == 1)
        #expect(BestF1Threshold.find(scores: [0.1, 0.2], labels: [0, 0]) == nil)
        // Equal scores cannot be split: flagging 0.5 flags both (P 1/2, R 1, F1 2/3).
        let tied = try #require(BestF1Threshold.find(scores: [0.5, 0.5], labels: [1, 0]))
        #expect(abs(tied.f1 - 2.0 / 3) < 1e-12 && tied.threshold < 0.5)
    }

    @Test("verdict: none scored or more than half failed is a failure; half failed stands")
    func verdict() {
        #expect(EvaluationVerdict.problem(scored: 0, failed: 0) != nil)
        #expect(EvaluationVerdict.problem(scored: 0, failed: 5)?.contains("no sample was scored") == true)
        #expect(EvaluationVerdict.problem(scored: 4, failed: 5)?.contains("more than half") == true)
        #expect(EvaluationVerdict.problem(scored: 5, failed: 5) == nil)
        #expect(EvaluationVerdict.problem(scored: 10, failed: 0) == nil)
    }

    @Test("training classes from prompts metadata: left out for the same dataset only; 'all' names none")
    func trainingClasses() throws {
        let t = try #require(TrainingClasses(metadata: ["dataset": "mvtec3d", "classes": "cookie,bagel"]))
        #expect(t.split(["bagel", "carrot", "cookie"], dataset: .mvtec3d) == (["carrot"], ["bagel", "cookie"]))
        #expect(t.split(["bagel", "carrot"], dataset: .real3d) == (["bagel", "carrot"], []))
        #expect(TrainingClasses(metadata: ["dataset": "mvtec3d", "classes": "all"])?.classes == nil)
        #expect(TrainingClasses(metadata: [:]) == nil)
    }
}
