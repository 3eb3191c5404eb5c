import Foundation
import TensorCore

/// Makes one sample of a class — intact or with the given defects — as a depth scan (MVTec 3D-AD)
/// or as a labelled point cloud (Real3D-AD, Anomaly-ShapeNet). Everything is drawn from `seed`,
/// so a sample does not depend on which other samples are made or in which order.
public enum SampleSynthesizer {
    /// An organised depth scan of one object lying in front of the camera.
    public static func depthScan(of objectClass: SyntheticClass, defects: [DefectKind], seed: UInt64,
                                 width: Int, height: Int, resolution: Int) -> DepthScan {
        var rng = SeededRandom(seed: seed)
        let (intact, radius) = centredMesh(objectClass, rng: &rng, resolution: resolution)
        let normals = intact.vertexNormals()
        let camera = Self.camera(for: objectClass, width: width, height: height)
        let pose = scanPose(for: objectClass, radius: radius, distance: scanDistance, camera: camera, rng: &rng)
        let renderer = DepthRenderer(camera: camera, depthNoise: 0.0008 * objectClass.size)
        return DefectPlacement.scan(defects, on: intact, normals: normals, radius: radius, pose: pose, rng: &rng,
                                    groundTruth: { $0.groundTruth }) { mesh, rng in renderer.render(mesh, rng: &rng) }
    }

    /// Metres from the camera to the object's centre.
    static let scanDistance: Float = 0.3

    /// The camera of a class's scans: the object's bounding sphere spans about 80% of the
    /// shorter image side.
    public static func camera(for objectClass: SyntheticClass, width: Int, height: Int) -> DepthCamera {
        DepthCamera(width: width, height: height, focal: 0.4 * Float(min(width, height)) * scanDistance / objectClass.size)
    }

    /// A labelled cloud of `count` points sampled over the whole surface, posed and scaled into the
    /// layout's units, with scanner noise of `noise` (as a fraction of the object's size).
    public static func cloud(of objectClass: SyntheticClass, defects: [DefectKind], seed: UInt64,
                             count: Int, noise: Float, offset: Float, resolution: Int) -> LabelledCloud {
        var rng = SeededRandom(seed: seed)
        let (intact, radius) = centredMesh(objectClass, rng: &rng, resolution: resolution)
        let normals = intact.vertexNormals()
        let yaw = RigidTransform.rotation(axis: SIMD3(0, 0, 1), angle: 2 * Float.pi * rng.uniform())
        let tilt = RigidTransform.rotation(axis: normalized(SIMD3(rng.uniform() - 0.5, rng.uniform() - 0.5, 0)),
                                           angle: 0.3 * (rng.uniform() - 0.5))
        var pose = tilt.after(yaw)
        pose.scale = objectClass.size / radius
        pose.translation = SIMD3(rng.uniform() - 0.5, rng.uniform() - 0.5, rng.uniform() - 0.5) * (2 * offset)
        let sigma = noise * objectClass.size
        guard !defects.isEmpty else {
            var mesh = intact
            mesh.apply(pose)
            return SurfaceSampler.sample(mesh, count: count, noise: sigma, rng: &rng)
        }
        let wanted = max(10, count / 250)
        var best: LabelledCloud?
        for _ in 0..<DefectPlacement.attempts {
            var mesh = intact
            for kind in defects {
                let center = Int(rng.next() % UInt64(mesh.vertices.count))
                DefectInjector.inject(kind, at: center, into: &mesh, normals: normals, scale: radius, rng: &rng)
            }
            mesh.apply(pose)
            let cloud = SurfaceSampler.sample(mesh, count: count, noise: sigma, rng: &rng)
            if best == nil || cloud.anomalousCount > best!.anomalousCount { best = cloud }
            if cloud.anomalousCount >= wanted { break }
        }
        return best!
    }

    /// The sample's intact mesh, centred on its bounding box, with its bounding radius.
    static func centredMesh(_ objectClass: SyntheticClass, rng: inout SeededRandom,
                            resolution: Int) -> (SurfaceMesh, Float) {
        var mesh = objectClass.scan.map { objectClass.design.sampleMesh(of: $0, rng: &rng) }
            ?? objectClass.design.sampleMesh(rng: &rng, resolution: resolution)
        let (center, radius) = mesh.boundingSphere()
        mesh.apply(RigidTransform(translation: -center))
        return (mesh, radius)
    }

    /// Object frame → camera frame: a random turn about the object's up axis, a small tilt, the
    /// object's up axis towards the camera (lathes lie on their side), scaled to metres and placed
    /// at `distance` with a small offset in the image.
    static func scanPose(for objectClass: SyntheticClass, radius: Float, distance: Float, camera: DepthCamera,
                         rng: inout SeededRandom) -> RigidTransform {
        let lying = objectClass.scan == nil && objectClass.design.family == .lathe
            ? RigidTransform.rotation(axis: SIMD3(1, 0, 0), angle: Float.pi / 2) : RigidTransform()
        var orientation = RigidTransform.rotation(axis: SIMD3(0, 0, 1), angle: 2 * Float.pi * rng.uniform()).after(lying)
        let tilt = RigidTransform.rotation(axis: normalized(SIMD3(rng.uniform() - 0.5, rng.uniform() - 0.5, 0)),
                                           angle: 0.35 * (rng.uniform() - 0.5))
        orientation = tilt.after(orientation)
        // Object up (+z) faces the camera: flip y and z (a rotation by π about x).
        let facing = RigidTransform(rows: (SIMD3(1, 0, 0), SIMD3(0, -1, 0), SIMD3(0, 0, -1)))
        var pose = facing.after(orientation)
        pose.scale = objectClass.size / radius
        let halfField = Float(min(camera.width, camera.height)) / 2 / camera.focal * distance
        pose.translation = SIMD3((rng.uniform() - 0.5) * 0.2 * halfField, (rng.uniform() - 0.5) * 0.2 * halfField, distance)
        return pose
    }
}
