import ArgumentParser
import Evaluation
import Foundation
import PointADSupport
import PointClouds

extension ScanPreprocessing: ExpressibleByArgument {}

/// The help of `--preprocess`, shared by `eval` and `train`.
let preprocessHelp = ArgumentHelp(
    "MVTec 3D-AD scans: btf (the reference preprocessing every published number used: table plane removed, padded to a square, largest cluster kept; scans already preprocessed are recognised and left as they are) or none (the raw scan).")

/// `pointad preprocess`: a preprocessed copy of an MVTec 3D-AD tree.
struct PreprocessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preprocess",
        abstract: "Write a preprocessed copy of an MVTec 3D-AD dataset (BTF / 3D-ADS: plane removal, padding, largest cluster).",
        discussion: """
            Every xyz TIFF with its rgb and gt PNGs is preprocessed as the reference script does it
            (seeded RANSAC, so the same every run); every other file is copied. The dataset is never
            changed: --out must be outside it.
            """)

    @Option(help: "Dataset layout (only mvtec3d is preprocessed).") var dataset: DatasetKind
    @Option(help: "Raw dataset root.") var data: String
    @Option(help: "Output folder for the preprocessed copy.") var out: String
    @Option(help: "RANSAC seed.") var seed: UInt64 = 0
    @Flag(help: "No progress output.") var quiet = false
    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        guard dataset == .mvtec3d else { throw ValidationError("--dataset: only mvtec3d has a reference preprocessing, got '\(dataset.rawValue)'") }
    }

    func run() throws {
        compute.apply()
        let job = MVTecTreePreprocessing(preprocessing: BTFPreprocessing(seed: seed, threads: compute.threads))
        let s = try job.run(input: URL(fileURLWithPath: data), output: URL(fileURLWithPath: out)) { ProgressReporter("preprocess", total: $0, quiet: quiet) }
        print("\(s.scans) scans: \(s.preprocessed) preprocessed, \(s.alreadyPreprocessed) already preprocessed (left as they were), \(s.failed.count) without a table plane (copied unchanged)")
        for f in s.failed { print("  no plane: \(f)") }
        print("points: \(s.pointsIn) in, \(s.pointsKept) kept; \(s.copied) other files copied")
        print("wrote \(out)")
    }
}
