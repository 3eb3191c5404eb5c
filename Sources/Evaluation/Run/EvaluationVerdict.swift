/// Whether an evaluation's numbers can be trusted enough to exit 0: a run in which no sample
/// was scored, or more than half failed, measured something other than the dataset asked for
/// (a wrong `--dataset`, a broken tree), so the CLI exits non-zero with this reason.
public enum EvaluationVerdict {
    /// The reason the run failed, or nil when it stands.
    public static func problem(scored: Int, failed: Int) -> String? {
        let total = scored + failed
        if scored == 0 { return "no sample was scored (\(failed) failed)" }
        if 2 * failed > total { return "\(failed) of \(total) samples failed (more than half): the metrics do not describe the dataset" }
        return nil
    }

    public static func problem(_ report: EvaluationReport) -> String? {
        problem(scored: report.samples.count, failed: report.failures.count)
    }
}
