import PointClouds
import TensorCore

/// Normals for rendering when a cloud has none: PCA over each point's `neighbours` nearest points
/// (PointClouds' `estimatedNormals`, Open3D's hybrid search: at most `neighbours` within
/// `radius`; no radius limit by default since a cloud's units are unknown). Signs are arbitrary:
/// the shading flips normals toward the viewer. Where a
/// neighbourhood spans no plane (fewer than three points, collinear points) the normal is
/// whatever PointClouds defines (Open3D's (0, 0, 1)), so the render stays defined.
public enum NormalEstimation {
    public static func estimate(_ positions: [SIMD3<Float>], radius: Float = .infinity, neighbours: Int = 30) -> [SIMD3<Float>] {
        PointCloud(positions: positions)
            .estimatedNormals(radius: radius, maxNeighbors: max(3, neighbours), threads: ComputeThreads.count)
    }
}
