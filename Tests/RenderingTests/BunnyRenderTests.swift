import Foundation
import Imaging
import PointClouds
import Testing
import TestSupport
@testable import Rendering

/// A real scan: the Stanford bunny from Debian's libcgal-demo (37,706 vertices of `bunny00.off`,
/// fetched by Scripts/fetch-test-data.sh). Its nine views are the README picture.
@Suite(.enabled(if: ThirdPartyFiles.isAvailable, "third-party test files unavailable: \(ThirdPartyFiles.availability ?? "")"))
struct BunnyRenderTests {
    /// The vertices of an OFF mesh (the format is three header counts, then one vertex per line).
    static func offVertices(_ url: URL) throws -> [SIMD3<Float>] {
        let words = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isWhitespace)
        let count = try #require(Int(words[1]))
        var points: [SIMD3<Float>] = []
        for i in 0..<count {
            let x = try #require(Float(words[4 + 3 * i])), y = try #require(Float(words[5 + 3 * i]))
            let z = try #require(Float(words[6 + 3 * i]))
            points.append(SIMD3(x, y, z))
        }
        return points
    }

    /// Background pixels (byte 255) that no path of background pixels connects to the border.
    static func enclosedBackground(_ image: Image) -> Int {
        let w = image.width, h = image.height, bytes = image.bytes()
        func background(_ p: Int) -> Bool { bytes[p * image.channels] == 255 }
        var reached = [Bool](repeating: false, count: w * h), stack: [Int] = []
        for x in 0..<w { stack += [x, (h - 1) * w + x] }
        for y in 0..<h { stack += [y * w, y * w + w - 1] }
        while let p = stack.popLast() {
            guard !reached[p], background(p) else { continue }
            reached[p] = true
            let x = p % w, y = p / w
            if x > 0 { stack.append(p - 1) }
            if x < w - 1 { stack.append(p + 1) }
            if y > 0 { stack.append(p - w) }
            if y < h - 1 { stack.append(p + w) }
        }
        return (0..<(w * h)).filter { background($0) && !reached[$0] }.count
    }

    @Test func bunnyViewsAreGreyShadedAndWithoutHoles() throws {
        let positions = try Self.offVertices(ThirdPartyFiles.url("cgal/data/meshes/bunny00.off"))
        #expect(positions.count == 37_706)
        // --cover-gaps belongs to the supersampled splatter; head-light shading, because Open3D's
        // highlights paint camera-facing points white, which this hole count would take for background.
        let settings = RenderSettings(raster: .supersampled, coverGaps: true, shading: .headLight)
        let views = try MultiViewRenderer(settings: settings, views: .pointAD).render(PointCloud(positions: positions))
        for (k, view) in views.enumerated() {
            let image = try #require(view.image)
            let bytes = image.bytes()
            let grey = stride(from: 0, to: bytes.count, by: 3).allSatisfy { (i: Int) -> Bool in
                bytes[i] == bytes[i + 1] && bytes[i] == bytes[i + 2]
            }
            #expect(grey)
            let object = stride(from: 0, to: bytes.count, by: 3).filter { bytes[$0] < 255 }.count
            // The Open3D camera fills about half the frame with the object.
            #expect(object > 336 * 336 / 5 && object < 336 * 336 * 4 / 5, "view \(k): \(object) object pixels")
            // Shaded, not flat: a spread of grey levels on the object.
            let levels = Set(stride(from: 0, to: bytes.count, by: 3).map { bytes[$0] / 16 })
            #expect(levels.count >= 8, "view \(k): \(levels.count) grey bands")
            #expect(Self.enclosedBackground(image) == 0, "view \(k) has holes")
        }
        if let folder = ProcessInfo.processInfo.environment["POINTAD_README_PICTURES"] {
            // Regenerates Fixtures/readme/bunny-views.png when asked.
            let montage = try #require(ViewMontage.tile(views.compactMap(\.image), columns: 3, shrink: 2))
            try PNGFile.write(montage, to: URL(fileURLWithPath: folder).appendingPathComponent("bunny-views.png"))
        }
    }
}
