import ArgumentParser
import PointADSupport

/// The `pointad` command line: parsing and printing only; all work is done by the engine modules.
@main
struct PointADCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pointad",
        abstract: "Zero-shot 3D anomaly detection (PointAD / PointAD+) on point clouds, with CLIP on the CPU.",
        version: PointADVersion.string,
        subcommands: [
            // One line per subcommand, in the order `--help` lists them.
            DemoCommand.self,
            InfoCommand.self,
            EmbedCommand.self,
            ConvertCommand.self,
            SynthCommand.self,
            PreprocessCommand.self,
            InitModelCommand.self,
            RenderCommand.self,
            ScoreCommand.self,
            CalibrateCommand.self,
            TrainCommand.self,
            EvalCommand.self,
            MetricsCommand.self,
        ])

    /// ArgumentParser's main, with Foundation's file errors mapped to plain words naming the file
    /// (instead of "NSCocoaErrorDomain Code=4 … UserInfo=") at the edge.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: SystemErrorText.userFacing(error))
        }
    }
}
