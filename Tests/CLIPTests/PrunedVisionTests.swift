import CLIP
import Foundation
import TensorCore
import Testing
import TestSupport

/// The vision tower skips work no output reads (the value–value path after the last requested
/// block, the last block's original path except its class tokens). These check the outputs still
/// match the PointAD authors' tensors on Fixtures/anomalyclip-tiny (4 blocks) and the unpruned run
/// (`keepHidden` forces every token of every block).
@Suite("vision tower computes only what is read")
struct PrunedVisionTests {
    let reference: ReferenceTensors
    init() throws { reference = try ReferenceTensors(TestPaths.fixture("anomalyclip-tiny")) }

    @Test("DPAM 3 reading block 3 only: block-4 value path skipped, global feature unchanged")
    func valuePathStopsAtLastRead() throws {
        let vision = try reference.model.requireVision()
        let out = try vision.encode(pixels: try reference.expected.tensor("pixel_values"), layers: [3], dpamLayer: 3)
        #expect(out.projectedLayers.keys.sorted() == [3])
        try reference.check("dpam.patch.3", try #require(out.projectedLayers[3]))
        try reference.check("dpam.image_features", out.imageEmbeds)
    }

    @Test("plain tower reading block 2: last block for the class token only, global feature unchanged")
    func lastBlockClassTokenOnly() throws {
        let vision = try reference.model.requireVision()
        let out = try vision.encode(pixels: try reference.expected.tensor("pixel_values"), layers: [2])
        try reference.check("plain.patch.2", try #require(out.projectedLayers[2]))
        try reference.check("plain.image_features", out.imageEmbeds)
    }

    @Test("pruned and full runs agree to 1e-6 on a batch of three images",
          arguments: [(nil, [1, 2]), (3, [1, 4]), (3, [2]), (2, [3])] as [(Int?, [Int])])
    func prunedEqualsFull(_ c: (Int?, [Int])) throws {
        let (dpam, layers) = c
        let vision = try reference.model.requireVision()
        let one = try reference.expected.tensor("pixel_values")
        let pixels = Tensor(zeros: [3] + Array(one.shape.dropFirst()))
        for (i, x) in randomFloats(pixels.count, seed: 21).enumerated() { pixels.pointer[i] = x }
        let pruned = try vision.encode(pixels: pixels, layers: layers, dpamLayer: dpam)
        let full = try vision.encode(pixels: pixels, layers: layers, dpamLayer: dpam, keepHidden: true)
        #expect(maxRelativeError(pruned.imageEmbeds.toArray(), full.imageEmbeds.toArray()) < 1e-6)
        for l in layers {
            let a = try #require(pruned.projectedLayers[l]), b = try #require(full.projectedLayers[l])
            #expect(maxRelativeError(a.toArray(), b.toArray()) < 1e-6, "layer \(l)")
        }
    }
}
