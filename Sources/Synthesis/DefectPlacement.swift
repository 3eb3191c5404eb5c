import TensorCore

/// Where defects go on a synthetic object, shared by the object-only and the table scans: at spots
/// the sensor sees fairly squarely, retried until every defect shows with a few pixels.
enum DefectPlacement {
    /// Attempts at placing defects before settling for the best one: a defect may land where the
    /// camera cannot see it, or on a spot too curved to change much.
    static let attempts = 12

    /// `intact` posed and scanned, with `defects` injected; among up to `attempts` placements, the
    /// one whose least visible defect covers the most pixels (the first with ≥ 12 is taken).
    static func scan<Scan>(_ defects: [DefectKind], on intact: SurfaceMesh, normals: [SIMD3<Float>], radius: Float,
                           pose: RigidTransform, rng: inout SeededRandom,
                           groundTruth: (Scan) -> [UInt8], render: (SurfaceMesh, inout SeededRandom) -> Scan) -> Scan {
        guard !defects.isEmpty else {
            var mesh = intact
            mesh.apply(pose)
            return render(mesh, &rng)
        }
        let facing = intact.vertices.indices.filter { i in
            dot(pose.rotate(normals[i]), -normalized(pose.apply(intact.vertices[i]))) > 0.45
        }
        var best: (scan: Scan, score: Int)?
        for _ in 0..<attempts {
            var mesh = intact
            for kind in defects {
                let center = facing.isEmpty ? Int(rng.next() % UInt64(mesh.vertices.count))
                                            : facing[Int(rng.next() % UInt64(facing.count))]
                DefectInjector.inject(kind, at: center, into: &mesh, normals: normals, scale: radius, rng: &rng)
            }
            mesh.apply(pose)
            let scan = render(mesh, &rng)
            let labels = groundTruth(scan)
            let score = defects.map { kind in labels.reduce(0) { $0 + ($1 == kind.groundTruthValue ? 1 : 0) } }.min()!
            if best == nil || score > best!.score { best = (scan, score) }
            if score >= 12 { break }
        }
        return best!.scan
    }
}
