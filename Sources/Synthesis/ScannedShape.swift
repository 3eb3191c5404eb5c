import Foundation
import PointADSupport
import PointClouds

/// A real scanned object used as a class's shape instead of a procedural design: one of the
/// meshes of Debian's libcgal-demo data (Stanford bunny, armadillo, …), centred, scaled to a unit
/// bounding radius, oriented outwards and refined so that defects have vertices to move.
public struct ScannedShape: Sendable {
    public let name: String
    public let mesh: SurfaceMesh

    /// The scans used, in this order, when present: closed meshes of real objects (and one CAD part).
    public static let preferredNames = ["bunny00", "armadillo", "elephant", "cow", "camel", "bull", "femur", "fandisk"]

    /// Loads the preferred meshes found in `directory` (e.g. CGAL's `data/meshes`, which
    /// `Scripts/fetch-test-data.sh` extracts into `.cache/testdata/cgal/data/meshes`).
    public static func catalog(in directory: URL) throws -> [ScannedShape] {
        let found = preferredNames.filter { FileManager.default.fileExists(atPath: directory.appendingPathComponent("\($0).off").path) }
        guard !found.isEmpty else {
            throw FileError(directory.path, "none of the scans \(preferredNames.map { "\($0).off" }.joined(separator: ", ")) is here (expected CGAL's data/meshes folder)")
        }
        return try found.map { try load(directory.appendingPathComponent("\($0).off")) }
    }

    public static func load(_ url: URL) throws -> ScannedShape {
        var mesh = SurfaceMesh(try OFFReader.read(url))
        guard mesh.triangles.count >= 4 else { throw FileError(url.path, "too few faces to be an object") }
        let (center, radius) = mesh.boundingSphere()
        guard radius > 0 else { throw FileError(url.path, "all vertices coincide") }
        mesh.apply(RigidTransform(scale: 1 / radius, translation: -center / radius))
        if ParametricGrid.signedVolume(mesh) < 0 { mesh.triangles = mesh.triangles.map { SIMD3($0.x, $0.z, $0.y) } }
        let stem = url.deletingPathExtension().lastPathComponent
        return ScannedShape(name: stem, mesh: MeshSubdivision.refined(mesh, minimumVertices: 30_000))
    }

    /// A class-name prefix: the scan's letters, lower-cased (`bunny00` → `bunny`).
    var classPrefix: String { String(name.lowercased().filter { $0.isLetter }) }
}
