import Rendering
import Testing
@testable import Evaluation

/// The point size each class is rendered with: the authors' per-class MVTec 3D-AD sizes (dossier
/// §2.1, `multiview_mvtec.py`), the per-dataset ones, an explicit size over all, and the fallbacks.
@Suite struct ClassPointSizeTests {
    @Test("MVTec 3D-AD classes with MVTec's views get the reference's sizes")
    func referenceSizes() {
        let expected = ["bagel": 7, "cable_gland": 12, "carrot": 7, "cookie": 6, "dowel": 10,
                        "rope": 5, "peach": 7, "foam": 8, "potato": 8, "tire": 8]
        for (name, size) in expected {
            let resolved = ClassPointSize.resolve(dataset: .mvtec3d, className: name, views: .mvtec, explicit: nil)
            #expect(resolved?.pointSize == size, "\(name)")
            #expect(resolved?.origin.contains("multiview_mvtec.py") == true)
        }
        #expect(ClassPointSize.resolve(dataset: .eyecandies, className: "CandyCane", views: .eyecandies, explicit: nil)?.pointSize == 10)
        #expect(ClassPointSize.resolve(dataset: .real3d, className: "airplane", views: .real3D, explicit: nil)?.pointSize == 12)
        #expect(ClassPointSize.resolve(dataset: .shapenet, className: "bowl0", views: .real3D, explicit: nil)?.pointSize == 12)
    }

    @Test("an explicit size wins; unknown classes and other view sets keep the view set's default, and say so")
    func fallbacks() throws {
        let given = try #require(ClassPointSize.resolve(dataset: .mvtec3d, className: "cookie", views: .mvtec, explicit: 9))
        #expect(given.pointSize == 9 && given.origin == "given with --point-size")
        let unknown = try #require(ClassPointSize.resolve(dataset: .mvtec3d, className: "widget", views: .mvtec, explicit: nil))
        #expect(unknown.pointSize == 7 && unknown.description.contains("'widget' is not an MVTec 3D-AD class"))
        // PointAD's unflipped views on MVTec 3D-AD are not the authors' renders: no per-class size.
        let otherViews = try #require(ClassPointSize.resolve(dataset: .mvtec3d, className: "cookie", views: .pointAD, explicit: nil))
        #expect(otherViews.pointSize == 7 && otherViews.origin.contains("not mvtec3d's reference view set"))
        #expect(ClassPointSize.resolve(dataset: .plain, className: "x", views: nil, explicit: nil) == nil)
        #expect(ClassPointSize.resolve(dataset: .plain, className: "x", views: .pointAD, explicit: nil)?.pointSize == 7)
    }

    @Test("a view set with another point size draws with it and keeps everything else")
    func viewSetPointSize() {
        let cookie = ViewSet.mvtec.withPointSize(6)
        #expect(cookie.raster.pointSize == 6 && cookie.raster.window == 1024 && cookie.views == ViewSet.mvtec.views)
        #expect(ViewSet.mvtec.withPointSize(nil) == .mvtec)
    }
}
