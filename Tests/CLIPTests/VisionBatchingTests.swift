import CLIP
import Foundation
import Imaging
import TensorCore
import Testing
import TestSupport

/// Batching and input-size handling of the vision tower on clip-tiny's weights.
@Suite("vision batching, MLP chunks, positional interpolation")
struct VisionBatchingTests {
    static let model = try! CLIPModel(directory: TestPaths.fixture("clip-tiny/model"), parts: .vision)

    @Test("three images batched equal each image alone (plain and DPAM)")
    func batchedEqualsSingle() throws {
        let vision = try Self.model.requireVision()
        let pixels = try Tensor(shape: [3, 3, 56, 56], values: randomFloats(3 * 3 * 56 * 56, seed: 11, scale: 2))
        for dpam in [nil, 3] as [Int?] {
            let batched = try vision.encode(pixels: pixels, layers: [2, 4], dpamLayer: dpam)
            for b in 0..<3 {
                let single = try vision.encode(pixels: try pixels.rows(b..<(b + 1)), layers: [2, 4], dpamLayer: dpam)
                #expect(maxRelativeError(try batched.imageEmbeds.row(b).toArray(), single.imageEmbeds.toArray()) < 1e-5)
                for l in [2, 4] {
                    let a = try #require(batched.projectedLayers[l]).row(b).toArray(), s = try #require(single.projectedLayers[l]).toArray()
                    #expect(maxRelativeError(a, s) < 1e-5, "image \(b) layer \(l) dpam \(String(describing: dpam))")
                }
            }
        }
    }

    @Test("DPAM layer bounds: D = 1 is plain, D = depth + 1 puts every block on the value path")
    func dpamBounds() throws {
        let vision = try Self.model.requireVision()
        let pixels = try Tensor(shape: [1, 3, 56, 56], values: randomFloats(3 * 56 * 56, seed: 13))
        #expect(try vision.firstDPAMBlock(dpamLayer: 1) == 5 && vision.firstDPAMBlock(dpamLayer: 5) == 1)
        #expect(throws: (any Error).self) { try vision.firstDPAMBlock(dpamLayer: 0) }
        #expect(throws: (any Error).self) { try vision.firstDPAMBlock(dpamLayer: 6) }
        let plain = try vision.encode(pixels: pixels, layers: [1, 4])
        let none = try vision.encode(pixels: pixels, layers: [1, 4], dpamLayer: 1)
        let all = try vision.encode(pixels: pixels, layers: [1, 4], dpamLayer: 5)
        #expect(try #require(none.projectedLayers[4]).toArray() == (try #require(plain.projectedLayers[4])).toArray())
        #expect(try #require(all.projectedLayers[1]).toArray() != (try #require(plain.projectedLayers[1])).toArray())
        // The class embedding always comes from the original path (to rounding: with every block on
        // the value path, the last block's original path runs for the class token alone, through
        // other products than the full block's).
        #expect(maxRelativeError(all.imageEmbeds.toArray(), plain.imageEmbeds.toArray()) < 1e-5)
    }

    @Test("a block's MLP over row chunks equals one pass")
    func mlpChunks() throws {
        let vision = try Self.model.requireVision()
        let x = try Tensor(shape: [2 * 17, 64], values: randomFloats(2 * 17 * 64, seed: 12))
        let y = x.copy()
        let block = vision.layers[1]
        try block.forward(x, sequences: 2, length: 17, heads: 4, activation: .quickGELU, causal: false,
                          workspace: TransformerWorkspace(rows: 34, width: 64, intermediate: 256))
        let chunked = TransformerWorkspace(rows: 34, width: 64, intermediate: 256, mlpChunkRows: 5)
        #expect(chunked.mlpChunkRows == 5)
        try block.forward(y, sequences: 2, length: 17, heads: 4, activation: .quickGELU, causal: false, workspace: chunked)
        #expect(maxRelativeError(x.toArray(), y.toArray()) < 1e-6)
    }

    @Test("positional embedding resized with PyTorch's bicubic for another input size")
    func interpolation() throws {
        let vision = try Self.model.requireVision()
        #expect(try vision.positionEmbedding(gridHeight: 4, gridWidth: 4).toArray() == vision.positionEmbedding.toArray())
        let resized = try vision.positionEmbedding(gridHeight: 5, gridWidth: 6)
        #expect(resized.shape == [31, 64])
        // Class position unchanged; every channel of the patch grid resized as an image plane.
        #expect(Array(resized.toArray().prefix(64)) == Array(vision.positionEmbedding.toArray().prefix(64)))
        let original = vision.positionEmbedding.toArray()
        for channel in [0, 17, 63] {
            let plane = (0..<16).map { original[($0 + 1) * 64 + channel] }
            let expected = Resampling.bicubicPlanes(plane, planes: 1, width: 4, height: 4, toWidth: 6, toHeight: 5, convention: .pytorch)
            let got = (0..<30).map { resized[$0 + 1, channel] }
            #expect(maxAbsoluteError(got, expected) < 1e-6)
        }
        // And an input of that size runs: 70 × 84 pixels → 5 × 6 patches + class token.
        let out = try vision.encode(pixels: Tensor(zeros: [1, 3, 70, 84]), layers: [4])
        #expect(try #require(out.projectedLayers[4]).shape == [1, 31, 32])
    }
}
