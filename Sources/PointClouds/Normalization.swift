extension PointCloud {
    /// Mean of the positions (accumulated in double); nil for an empty cloud.
    public var centroid: SIMD3<Float>? {
        guard !positions.isEmpty else { return nil }
        var sum = SIMD3<Double>.zero
        for p in positions { sum += SIMD3<Double>(p) }
        return SIMD3<Float>(sum / Double(positions.count))
    }

    /// Every position moved by `offset`.
    public func translated(by offset: SIMD3<Float>) -> PointCloud {
        var result = self
        for i in 0..<result.positions.count { result.positions[i] += offset }
        return result
    }

    /// Every position multiplied by `factor` about the origin (normals unchanged for factor > 0).
    public func scaled(by factor: Float) -> PointCloud {
        var result = self
        for i in 0..<result.positions.count { result.positions[i] *= factor }
        return result
    }

    /// Centred at the mean, as the Real3D-AD and Anomaly-ShapeNet loaders do (no scaling).
    public func centeredAtMean() -> PointCloud {
        guard let c = centroid else { return self }
        return translated(by: -c)
    }

    /// Centred at the mean and scaled so the farthest point is at distance 1.
    public func normalizedToUnitSphere() -> PointCloud {
        let centred = centeredAtMean()
        var radius2: Float = 0
        for p in centred.positions { radius2 = max(radius2, (p * p).sum()) }
        return radius2 > 0 ? centred.scaled(by: 1 / radius2.squareRoot()) : centred
    }
}
