import PointClouds
import Testing
@testable import Rendering

/// The Open3D camera against the dossier's test vectors (§2.2, measured on Open3D 0.20.0): the
/// MVTec script's flip, a rotation about the centroid, the bounding-box refit, W = 1024.
@Suite struct CameraTests {
    static let points: [SIMD3<Float>] = [
        SIMD3(0, 0, 0.50), SIMD3(0.02, 0.01, 0.51), SIMD3(-0.03, 0.02, 0.52), SIMD3(0.01, -0.04, 0.53), SIMD3(0.04, 0.03, 0.55),
    ]
    /// The MVTec preset's first (x −45°) and last (y +30°) views.
    static let views = ViewSet(name: "vectors", preRotation: ViewSet.mvtec.preRotation,
                               views: [ViewSet.mvtec.views[0], ViewSet.mvtec.views[8]])
    static let expectedUV: [[(Double, Double)]] = [
        [(437.749, 146.450), (732.754, 355.050), (-4.758, 563.650), (551.950, 254.081), (929.447, 891.471)],
        [(708.627, 594.816), (809.455, 696.560), (125.888, 910.674), (569.325, 142.876), (674.911, 777.875)],
    ]
    static let expectedPixels: [[(Int, Int)]] = [
        [(143, 48), (240, 116), (0, 184), (181, 83), (304, 292)],
        [(232, 195), (265, 228), (41, 298), (186, 46), (221, 255)],
    ]
    /// Open3D's extrinsic translation (−eye.x, eye.y, eye.z) per view.
    static let expectedTranslation: [SIMD3<Double>] = [SIMD3(-0.0050, -0.0104, -0.4492), SIMD3(-0.0002, 0.0050, -0.4457)]

    @Test func rotationMatricesMatchTheDossier() {
        let x = RotationMatrix(axis: .x, degrees: -45).rows, y = RotationMatrix(axis: .y, degrees: 30).rows
        let s = 0.5.squareRoot()
        #expect(abs(x.1.y - s) < 1e-12 && abs(x.1.z - s) < 1e-12 && abs(x.2.y + s) < 1e-12 && abs(x.2.z - s) < 1e-12)
        #expect(abs(y.0.x - 0.8660254) < 1e-7 && abs(y.0.z - 0.5) < 1e-12 && abs(y.2.x + 0.5) < 1e-12)
        #expect(RotationMatrix(axis: .x, degrees: 180).rows.1 == SIMD3(0, -1, 0))
    }

    @Test func subpixelCoordinatesAtTheReferenceWindow() {
        let settings = RenderSettings(size: 1024, framing: .open3D(fieldOfView: 60, zoom: 0.7, referenceWindow: 1024))
        for k in 0..<2 {
            let pass = pass(view: k, settings: settings)
            for i in 0..<5 {
                // Grid edge coordinates at 1024 equal Open3D's pixel-centre coordinates there (cx = 511.5).
                #expect(abs(pass.x[i] - Self.expectedUV[k][i].0) < 2e-3, "view \(k) point \(i) u \(pass.x[i])")
                #expect(abs(pass.y[i] - Self.expectedUV[k][i].1) < 2e-3, "view \(k) point \(i) v \(pass.y[i])")
            }
            let t = Self.expectedTranslation[k], eye = pass.camera.eye
            #expect(abs(-eye.x - t.x) < 1e-4 && abs(eye.y - t.y) < 1e-4 && abs(eye.z - t.z) < 1e-4, "view \(k) eye \(eye)")
        }
    }

    @Test func correspondenceAt336() throws {
        let renderer = MultiViewRenderer(settings: RenderSettings(), views: Self.views)
        let projections = try renderer.project(PointCloud(positions: Self.points))
        for k in 0..<2 {
            for i in 0..<5 {
                #expect(projections[k].column(i) == Self.expectedPixels[k][i].0, "view \(k) point \(i)")
                #expect(projections[k].row(i) == Self.expectedPixels[k][i].1, "view \(k) point \(i)")
            }
        }
    }

    @Test func outputSizeDoesNotMoveTheCamera() {
        // f/W is constant: the same view at 336 and 1024 differs only by the grid scale.
        let small = pass(view: 0, settings: RenderSettings(size: 336)), large = pass(view: 0, settings: RenderSettings(size: 1024))
        for i in 0..<5 { #expect(abs(small.x[i] * 1024 / 336 - large.x[i]) < 1e-9) }
    }

    private func pass(view k: Int, settings: RenderSettings) -> ViewPass {
        var sum = SIMD3<Double>.zero
        for p in Self.points { sum += SIMD3<Double>(p) }
        let mean = sum / 5
        return ViewPass(positions: Self.points, mean: mean, pivot: Self.views.preRotation.apply(mean), radius: 1,
                        rotation: Self.views.matrix(k), settings: settings)
    }
}
