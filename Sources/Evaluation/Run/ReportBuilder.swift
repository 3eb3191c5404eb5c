import PointADSupport

/// Turns scored samples, arriving in walk order, into a report: each class's metrics are computed
/// as soon as the walk leaves the class, so only one class's point scores are held at a time.
/// The single run and the merge of shards both feed it in the same order, so they agree exactly.
struct ReportBuilder {
    private var report: EvaluationReport
    private let classNames: [String]
    private var finished: [String: ClassMetrics] = [:]
    private var current: [ScoredSample] = []

    init(dataset: DatasetKind, split: String, classes: [String], protocol evaluation: EvaluationProtocol = .points) {
        report = EvaluationReport(dataset: dataset, split: split, classes: [], samples: [], failures: [], evaluationProtocol: evaluation)
        classNames = classes
    }

    mutating func add(_ sample: ScoredSample) throws {
        if let first = current.first, first.sample.className != sample.sample.className { try closeClass() }
        guard finished[sample.sample.className] == nil else {
            throw UsageError("samples of class '\(sample.sample.className)' arrived after the class was closed")
        }
        report.samples.append(EvaluationReport.Row(
            className: sample.sample.className, split: sample.sample.split, defect: sample.sample.defect,
            stem: sample.sample.stem, objectScore: sample.objectScore, label: sample.label,
            path: sample.sample.points, maxPointScore: (sample.inputScores ?? sample.pointScores).max()))
        // The input-order scores and the scorer's map are saved by now; the metrics need neither.
        var kept = sample
        kept.inputScores = nil
        kept.map = nil
        current.append(kept)
    }

    mutating func fail(_ failure: SampleFailure) {
        report.failures.append(failure)
    }

    private mutating func closeClass() throws {
        guard let name = current.first?.sample.className else { return }
        finished[name] = try ClassMetrics.compute(className: name, samples: current)
        current = []
    }

    mutating func finish() throws -> EvaluationReport {
        try closeClass()
        report.classes = classNames.map { name in
            var m = finished[name] ?? ClassMetrics(className: name)
            m.failed = report.failures.filter { $0.className == name }.count
            return m
        }
        return report
    }
}
