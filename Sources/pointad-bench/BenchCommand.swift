import ArgumentParser

/// `pointad-bench`: the benchmarks that measure what the issues ask for. `Scripts/bench.sh` runs
/// them in release mode and prints the figures.
@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pointad-bench",
        abstract: "pointad benchmarks (run in release mode: Scripts/bench.sh).",
        subcommands: [
            // One line per benchmark.
            GemmBench.self,
            KernelBench.self,
            RenderBench.self,
            NormalsBench.self,
            ScoreBench.self,
            CLIPBench.self,
            VisionBench.self,
            AttentionBench.self,
            MetricsBench.self,
            IOBench.self,
            TrainStepBench.self,
            SynthBench.self,
            DuplicatesBench.self,
            PreprocessBench.self,
            EvalCacheBench.self,
            PtLoadBench.self,
        ])
}
