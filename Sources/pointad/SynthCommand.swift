import ArgumentParser
import Foundation
import Synthesis

/// `pointad synth`: a synthetic dataset in a benchmark's exact layout and formats.
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write a SYNTHETIC dataset (procedural objects with injected defects) in a benchmark's layout.",
        discussion: """
            Objects of several procedural families (superquadrics, tori, lathe-turned parts, lumpy blobs) get \
            bumps, dents, cracks, holes, missing chips or added material, with ground truth per point and per \
            pixel. Layouts: mvtec3d (xyz TIFF + rgb PNG + gt PNG; train/validation/test; raw table scans, or the object \
            alone with --scene object), real3d (train/*template*.pcd, \
            test/*.pcd, gt/*.txt), shapenet (Anomaly-ShapeNet: train/test/GT). The same seed gives byte-identical files.
            """)

    @Option(name: .long, help: "mvtec3d, real3d or shapenet.")
    var layout: String

    @Option(name: .long, help: "Output folder (new, empty, or an earlier synth output, which is replaced).")
    var out: String

    @Option(name: .long, help: "Object classes.")
    var classes: Int = 4

    @Option(name: .long, help: "Test samples per class (about half defective).")
    var samples: Int = 10

    @Option(name: .long, help: "Training samples per class (default: as many as --samples for mvtec3d, 4 templates otherwise).")
    var train: Int?

    @Option(name: .long, help: "Seed; the same seed gives byte-identical files.")
    var seed: UInt64 = 0

    @Option(name: .long, help: "Image width for mvtec3d.")
    var width: Int = 256

    @Option(name: .long, help: "Image height for mvtec3d.")
    var height: Int = 224

    @Option(name: .long, help: "mvtec3d scans: table (raw, as the real dataset: the object resting on a table that fills the frame, with sensor shadows, edge dropouts and noise; preprocess with --preprocess btf) or object (the object alone, zeros elsewhere).")
    var scene: String = SyntheticScene.table.rawValue

    @Option(name: .long, help: "Points per cloud for real3d and shapenet.")
    var points: Int = 10_000

    @Option(name: .long, help: "Folder of real scans as OFF meshes (CGAL's data/meshes, see Scripts/fetch-test-data.sh): the first classes are made of them.")
    var scans: String?

    @Option(name: .long, help: "Also write a contact sheet PNG (mvtec3d): a row per class, a column per test folder, defects tinted red.")
    var preview: String?

    @Flag(name: .long, help: "No progress output.")
    var quiet = false

    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        guard SyntheticLayout(rawValue: layout) != nil else {
            throw ValidationError("unknown --layout '\(layout)'; choose one of \(SyntheticLayout.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard SyntheticScene(rawValue: scene) != nil else {
            throw ValidationError("unknown --scene '\(scene)'; choose one of \(SyntheticScene.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        try settings().validate()
        if preview != nil && layout != SyntheticLayout.mvtec3d.rawValue {
            throw ValidationError("--preview needs --layout mvtec3d (it shows the colour images)")
        }
    }

    func settings() -> SynthesisSettings {
        var s = SynthesisSettings(layout: SyntheticLayout(rawValue: layout) ?? .mvtec3d, classes: classes, testSamples: samples,
                                  trainSamples: train, seed: seed)
        s.imageWidth = width
        s.imageHeight = height
        s.scene = SyntheticScene(rawValue: scene) ?? .table
        s.points = points
        s.scanDirectory = scans.map { URL(fileURLWithPath: $0) }
        return s
    }

    func run() throws {
        compute.apply()
        let summary = try DatasetSynthesizer.synthesize(settings(), to: URL(fileURLWithPath: out), quiet: quiet)
        print("wrote \(summary.samples) samples (\(summary.defectiveSamples) defective) of \(summary.classes.count) classes to \(summary.root.path)")
        print("classes: \(summary.classes.joined(separator: " "))")
        if let preview {
            try SyntheticPreview.write(settings(), to: URL(fileURLWithPath: preview))
            print("wrote the preview sheet \(preview)")
        }
        print("SYNTHETIC data: it copies the \(layout) layout and formats; it is not benchmark data")
    }
}
