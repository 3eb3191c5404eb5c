import Foundation
import Testing
import TestSupport
@testable import Rendering

/// The 2D smoothing and the supersampling filter against scipy and Pillow outputs
/// (Fixtures/rendering/generate.py).
@Suite struct FilterFixtureTests {
    struct GaussianCase: Decodable { let height: Int; let width: Int; let sigma: Double; let input: [Float]; let output: [Float] }
    struct BicubicCase: Decodable { let side: Int; let factor: Int; let input: [Float]; let output: [Float] }
    struct Expected: Decodable { let gaussian: [GaussianCase]; let bicubic: [BicubicCase] }

    static func expected() throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: TestPaths.fixture("rendering/expected.json")))
    }

    @Test func gaussianFilterMatchesScipy() throws {
        for c in try Self.expected().gaussian {
            let result = GaussianSmoothing.filter(c.input, width: c.width, height: c.height, sigma: c.sigma)
            #expect(maxAbsoluteError(result, c.output) < 2e-7, "\(c.height)×\(c.width) σ=\(c.sigma)")
        }
    }

    @Test func bicubicDownsampleMatchesPillow() throws {
        for c in try Self.expected().bicubic {
            let result = SupersampleFilter.bicubic.downsample(c.input, side: c.side, factor: c.factor)
            // The renderer clamps to [0, 1]; Pillow's float mode does not.
            let clamped = c.output.map { min(1, max(0, $0)) }
            #expect(maxAbsoluteError(result, clamped) < 2e-6, "\(c.side) / \(c.factor)")
        }
    }

    @Test func boxDownsampleAveragesBlocks() {
        let input: [Float] = [0, 1, 0.5, 0.5, 1, 0, 0.25, 0.75, 0.2, 0.2, 0, 0, 0.2, 0.2, 0, 1]
        #expect(SupersampleFilter.box.downsample(input, side: 4, factor: 2) == [0.5, 0.5, 0.2, 0.25])
    }

    @Test func reflectIndexing() {
        // scipy 'reflect': d c b a | a b c d | d c b a, periodic beyond.
        #expect((-5...8).map { GaussianSmoothing.reflect($0, 4) } == [3, 3, 2, 1, 0, 0, 1, 2, 3, 3, 2, 1, 0, 0])
    }
}
