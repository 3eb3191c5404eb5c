import PointADSupport
import Testing
@testable import Rendering

@Suite struct ViewSetAndTableTests {
    @Test func presetsAreTheAuthorsAngles() {
        // Dossier §1.2: MVTec x −45…45 then y −30…30; Eyecandies x −30…20 then y; Real3D x −144…144.
        #expect(ViewSet.pointAD.views.map(\.description) == ["x-45.0°", "x-15.0°", "x+0.0°", "x+15.0°", "x+45.0°", "y-30.0°", "y-15.0°", "y+15.0°", "y+30.0°"])
        #expect(ViewSet.eyecandies.views.map(\.degrees) == [-30, -15, 0, 10, 20, -30, -15, 15, 30])
        #expect(ViewSet.eyecandies.preRotation == RotationMatrix(axis: .x, degrees: 45))
        #expect(ViewSet.real3D.views.map(\.degrees) == [-144, -108, -72, -36, 0, 36, 72, 108, 144])
        #expect(ViewSet.real3D.views.allSatisfy { $0.axis == .x })
        // The flip turns (x, y, z) into (x, −y, −z) exactly.
        #expect(ViewSet.mvtec.preRotation.apply(SIMD3(1, 2, 3)) == SIMD3(1, -2, -3))
        #expect(ViewSet.orbit(count: 4).views.map(\.degrees) == [0, 90, 180, 270])
    }

    @Test func tableRoundTripsAndRejectsBadEntries() throws {
        let projections = [
            ViewProjection(size: 4, pixels: [0, 5, 15], visible: [true, false, true]),
            ViewProjection(size: 4, pixels: [3, 12, 6], visible: [false, true, true]),
        ]
        let table = CorrespondenceTable(projections: projections)
        #expect(table.shape == [2, 3, 3])
        // Point 1 of view 0 is pixel 5 = row 1, column 1, not visible; point 1 of view 1 is row 3, column 0.
        #expect(Array(table.values[3..<6]) == [1, 1, 0] && Array(table.values[12..<15]) == [0, 3, 1])
        let back = try CorrespondenceTable(values: table.values, shape: table.shape, size: 4, path: "t.safetensors")
        #expect(back.projections == projections)
        var bad = table.values
        bad[0] = 4
        #expect(throws: FileError.self) { try CorrespondenceTable(values: bad, shape: table.shape, size: 4, path: "t.safetensors") }
        #expect(throws: FileError.self) { try CorrespondenceTable(values: table.values, shape: [2, 3], size: 4, path: "t.safetensors") }
    }
}
