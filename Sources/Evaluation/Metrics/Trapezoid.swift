/// Trapezoidal areas exactly as the two reference evaluators compute them.
enum Trapezoid {
    /// MVTec's `trapezoid(x, y, x_max)`: drops non-finite pairs, integrates up to `xMax` with a
    /// linearly interpolated last piece when `xMax` is not itself one of the x values (an exact
    /// float test, as in the reference). Keeps the given order, duplicates included.
    static func mvtec(x rawX: [Double], y rawY: [Double], xMax: Double? = nil) -> Double {
        var x: [Double] = [], y: [Double] = []
        for i in 0..<rawX.count where rawX[i].isFinite && rawY[i].isFinite {
            x.append(rawX[i]); y.append(rawY[i])
        }
        var correction = 0.0
        if let xMax {
            if !x.contains(xMax) {
                // bisect_right: the first index whose x is greater than xMax.
                var insert = 0
                while insert < x.count && x[insert] <= xMax { insert += 1 }
                if insert > 0 && insert < x.count {
                    let yInterp = y[insert - 1] + (y[insert] - y[insert - 1]) * (xMax - x[insert - 1]) / (x[insert] - x[insert - 1])
                    correction = 0.5 * (yInterp + y[insert - 1]) * (xMax - x[insert - 1])
                }
            }
            let keep = x.indices.filter { x[$0] <= xMax }
            x = keep.map { x[$0] }
            y = keep.map { y[$0] }
        }
        var area = 0.0
        for i in x.indices.dropFirst() { area += 0.5 * (y[i] + y[i - 1]) * (x[i] - x[i - 1]) }
        return area + correction
    }

    /// `sklearn.metrics.auc(x, y)`: the trapezoid area for x monotone in either direction; nil when
    /// x is not monotone or has fewer than two points (scikit-learn raises there).
    static func sklearnAUC(x: [Double], y: [Double]) -> Double? {
        guard x.count >= 2 else { return nil }
        var direction = 1.0
        let steps = zip(x.dropFirst(), x).map { $0 - $1 }
        if steps.contains(where: { $0 < 0 }) {
            guard steps.allSatisfy({ $0 <= 0 }) else { return nil }
            direction = -1
        }
        var area = 0.0
        for i in 1..<x.count { area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2 }
        return direction * area
    }
}
