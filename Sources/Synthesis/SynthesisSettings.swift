import Foundation
import PointADSupport

/// Everything `pointad synth` needs to know; the same settings and seed give byte-identical files.
public struct SynthesisSettings: Sendable, Equatable {
    public var layout: SyntheticLayout
    public var classes: Int
    /// Test samples per class (about half of them defective).
    public var testSamples: Int
    /// Training samples per class (`layout.defaultTrainCount` when nil).
    public var trainSamples: Int?
    public var seed: UInt64
    /// MVTec 3D-AD image size; kept H ≠ W by default so transposition bugs show.
    public var imageWidth: Int = 256
    public var imageHeight: Int = 224
    /// MVTec 3D-AD scans: raw, the object on a table (as the real dataset), or the object alone.
    public var scene: SyntheticScene = .table
    /// Points per cloud for the point-cloud layouts.
    public var points: Int = 10_000
    /// Vertex rings from pole to pole of each procedural mesh.
    public var meshResolution: Int = 160
    /// A folder of real scans as OFF meshes (CGAL's `data/meshes`); when set, the first classes
    /// are made of those scans (see `ScannedShape.preferredNames`).
    public var scanDirectory: URL?

    public init(layout: SyntheticLayout, classes: Int, testSamples: Int, trainSamples: Int? = nil, seed: UInt64) {
        self.layout = layout
        self.classes = classes
        self.testSamples = testSamples
        self.trainSamples = trainSamples
        self.seed = seed
    }

    public var resolvedTrainSamples: Int { trainSamples ?? layout.defaultTrainCount(testSamples: testSamples) }

    /// Checks the ranges (bounded so a typo cannot fill the disk).
    public func validate() throws {
        guard (1...64).contains(classes) else { throw UsageError("--classes must be 1…64, got \(classes)") }
        guard (1...1000).contains(testSamples) else { throw UsageError("--samples must be 1…1000, got \(testSamples)") }
        guard (1...1000).contains(resolvedTrainSamples) else {
            throw UsageError("--train must be 1…1000, got \(resolvedTrainSamples)")
        }
        guard (16...4096).contains(imageWidth), (16...4096).contains(imageHeight) else {
            throw UsageError("image size must be 16…4096 pixels per side, got \(imageWidth)x\(imageHeight)")
        }
        guard (64...5_000_000).contains(points) else { throw UsageError("--points must be 64…5000000, got \(points)") }
        guard (8...1024).contains(meshResolution) else {
            throw UsageError("mesh resolution must be 8…1024, got \(meshResolution)")
        }
    }
}
