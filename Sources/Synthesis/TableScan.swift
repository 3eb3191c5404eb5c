import Foundation
import TensorCore

/// Raw MVTec 3D-AD-style scans: the object resting on a table, seen from above by a
/// structured-light sensor (`StructuredLightSensor`), the table filling the frame as in the real
/// dataset, with a crumb or two of clutter on it. The table is tilted a little, so it is not the
/// plane z = const, and its 10-pixel edge band is table only, which is what the reference
/// preprocessing fits its plane to.
extension SampleSynthesizer {
    /// Metres from the sensor to the table at the image centre (MVTec's scans lie at about 0.5–0.9 m).
    static let tableDistance: Float = 0.6

    /// The camera of a class's table scans: the object's bounding sphere spans about 55% of the
    /// shorter image side, at the table's distance.
    public static func tableCamera(for objectClass: SyntheticClass, width: Int, height: Int) -> DepthCamera {
        DepthCamera(width: width, height: height, focal: 0.55 * Float(min(width, height)) * tableDistance / (2 * objectClass.size))
    }

    /// The scan an MVTec 3D-AD-style sample holds with these settings: a raw table scan or the
    /// object alone (`settings.scene`).
    public static func mvtecScan(of objectClass: SyntheticClass, defects: [DefectKind], seed: UInt64,
                                 settings: SynthesisSettings) -> DepthScan {
        switch settings.scene {
        case .table:
            tableScan(of: objectClass, defects: defects, seed: seed, width: settings.imageWidth, height: settings.imageHeight,
                      resolution: settings.meshResolution).scan
        case .object:
            depthScan(of: objectClass, defects: defects, seed: seed, width: settings.imageWidth, height: settings.imageHeight,
                      resolution: settings.meshResolution)
        }
    }

    /// A raw table scan of one object, intact or with `defects`, drawn entirely from `seed`.
    public static func tableScan(of objectClass: SyntheticClass, defects: [DefectKind], seed: UInt64,
                                 width: Int, height: Int, resolution: Int) -> RawScan {
        var rng = SeededRandom(seed: seed)
        let (intact, radius) = centredMesh(objectClass, rng: &rng, resolution: resolution)
        let normals = intact.vertexNormals()
        let camera = tableCamera(for: objectClass, width: width, height: height)
        let halfField = Float(min(width, height)) / 2 / camera.focal * tableDistance
        let toCamera = tablePose(rng: &rng)
        let resting = restingPose(intact, objectClass: objectClass, radius: radius, halfField: halfField, rng: &rng)
        let pose = toCamera.after(resting)
        var background = tableMesh(extent: 1.6 * Float(max(width, height)) / 2 / camera.focal * tableDistance, rng: &rng)
        for crumb in clutter(avoiding: SIMD2(resting.translation.x, resting.translation.y), clearance: objectClass.size + 0.012,
                             halfField: halfField, rng: &rng) {
            background.append(crumb)
        }
        background.apply(toCamera)
        let normal = toCamera.rotate(SIMD3(0, 0, 1))
        let table = (normal: normal, offset: -dot(normal, toCamera.translation))
        let texture = SmoothNoise(seed: rng.next())
        let sensor = StructuredLightSensor(camera: camera)

        return DefectPlacement.scan(defects, on: intact, normals: normals, radius: radius, pose: pose, rng: &rng,
                                    groundTruth: { $0.scan.groundTruth }) { object, rng in
            var scene = object
            scene.occluders = []
            scene.append(background)
            return sensor.scan(scene, objectTriangles: object.triangles.count, table: table, tableTexture: texture, rng: &rng)
        }
    }

    /// Table frame (origin where the optical axis meets the table, z up towards the sensor) →
    /// camera frame: turned to face the sensor, tilted by up to about 11° about a random
    /// horizontal axis, at `tableDistance`.
    static func tablePose(rng: inout SeededRandom) -> RigidTransform {
        let facing = RigidTransform(rows: (SIMD3(1, 0, 0), SIMD3(0, -1, 0), SIMD3(0, 0, -1)))
        let heading = 2 * Float.pi * rng.uniform()
        let tilt = RigidTransform.rotation(axis: SIMD3(cos(heading), sin(heading), 0), angle: 0.04 + 0.16 * rng.uniform())
        var pose = tilt.after(facing)
        pose.translation = SIMD3(0, 0, tableDistance)
        return pose
    }

    /// Object frame → table frame: turned about its up axis (lathes lying on their side), tipped
    /// a little, scaled to metres, lowered until its lowest point touches the table, and placed
    /// near the middle of the field.
    static func restingPose(_ mesh: SurfaceMesh, objectClass: SyntheticClass, radius: Float, halfField: Float,
                            rng: inout SeededRandom) -> RigidTransform {
        let lying = objectClass.scan == nil && objectClass.design.family == .lathe
            ? RigidTransform.rotation(axis: SIMD3(1, 0, 0), angle: Float.pi / 2) : RigidTransform()
        var pose = RigidTransform.rotation(axis: SIMD3(0, 0, 1), angle: 2 * Float.pi * rng.uniform()).after(lying)
        pose = RigidTransform.rotation(axis: normalized(SIMD3(rng.uniform() - 0.5, rng.uniform() - 0.5, 0)),
                                       angle: 0.2 * (rng.uniform() - 0.5)).after(pose)
        pose.scale = objectClass.size / radius
        let lowest = mesh.vertices.reduce(Float.infinity) { min($0, pose.apply($1).z) }
        // A hair into the table, so it rests on it rather than floating above.
        pose.translation = SIMD3((rng.uniform() - 0.5) * 0.2 * halfField, (rng.uniform() - 0.5) * 0.2 * halfField, -lowest - 0.0002)
        return pose
    }

    /// The table: one dark, slightly varied quad of half-side `extent` in the table frame, facing up.
    static func tableMesh(extent: Float, rng: inout SeededRandom) -> SurfaceMesh {
        let tone = 0.14 + 0.06 * rng.uniform()
        let corners: [SIMD3<Float>] = [SIMD3(-extent, -extent, 0), SIMD3(extent, -extent, 0), SIMD3(extent, extent, 0), SIMD3(-extent, extent, 0)]
        return SurfaceMesh(vertices: corners, triangles: [SIMD3(0, 1, 2), SIMD3(0, 2, 3)],
                           albedo: [SIMD3<Float>](repeating: SIMD3(tone, tone, tone * 1.05), count: 4))
    }

    /// Zero to two crumbs (flattened blobs 5–8 mm across) lying on the table, clear of the object
    /// by `clearance` and inside the field: their tops stand above the plane cut, so only the
    /// preprocessing's largest-cluster step removes them.
    static func clutter(avoiding object: SIMD2<Float>, clearance: Float, halfField: Float, rng: inout SeededRandom) -> [SurfaceMesh] {
        let count = Int(rng.next() % 3)
        var crumbs: [SurfaceMesh] = []
        for _ in 0..<count {
            let radii = SIMD3(0.0025 + 0.0015 * rng.uniform(), 0.0025 + 0.0015 * rng.uniform(), 0.0035 + 0.002 * rng.uniform())
            var spot: SIMD2<Float>?
            for _ in 0..<20 {
                let candidate = SIMD2(rng.uniform() - 0.5, rng.uniform() - 0.5) * (1.5 * halfField)
                let d = candidate - object
                if (d * d).sum().squareRoot() > clearance + radii.x { spot = candidate; break }
            }
            guard let spot else { continue }
            let tone = SIMD3<Float>(0.45, 0.33, 0.2) * (0.8 + 0.4 * rng.uniform())
            var crumb = ParametricGrid.mesh(rows: 10, columns: 16, topology: .sphere) { u, v in
                let polar = Float.pi * u, around = 2 * Float.pi * v
                return SIMD3(radii.x * sin(polar) * cos(around), radii.y * sin(polar) * sin(around), radii.z * cos(polar))
            }
            crumb.albedo = [SIMD3<Float>](repeating: tone, count: crumb.vertices.count)
            crumb.apply(RigidTransform(translation: SIMD3(spot.x, spot.y, radii.z - 0.0003)))
            crumbs.append(crumb)
        }
        return crumbs
    }
}
