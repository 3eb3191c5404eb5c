/// Which views each point is scored in, with the reference's rule for points no view shows
/// (dossier §3.2, `generate_is_seen_for_point_in_each_view`): such a point takes the visibility
/// flags of a nearby point, in index order, that some view shows, while keeping its own pixels.
/// Without it those points would divide by zero; with it every point gets a score as soon as any
/// point is visible.
///
/// The donor search follows the reference: first the next seen point above (wrapping to the lowest
/// seen point when none is above, the distance then measured around the end), then the nearest seen
/// point below if it is strictly closer. Distances are in `order` (the organised grid's pixel index
/// for MVTec-style scans, so gaps of missing pixels count as in the reference), else point index.
public struct PointVisibility: Sendable {
    /// `visible[view][point]` after the fallback.
    public let visible: [[Bool]]
    /// Number of views each point is scored in (0 only when no point at all is visible).
    public let viewCounts: [Int32]

    /// - Parameter order: ascending position of each point in the reference's flattened order
    ///   (e.g. `OrganizedGrid.pixelIndices`); nil means the point index.
    public init(_ views: [ViewCorrespondence], order: [Int]? = nil) {
        let n = views.first?.pointCount ?? 0
        var counts = [Int32](repeating: 0, count: n)
        for view in views { for j in 0..<n where view.visible[j] { counts[j] += 1 } }
        var visible = views.map(\.visible)
        if counts.contains(0) && counts.contains(where: { $0 > 0 }) {
            let original = counts
            let position: (Int) -> Int = { order?[$0] ?? $0 }
            for j in 0..<n where original[j] == 0 {
                let donor = Self.donor(for: j, counts: original, position: position)
                for k in views.indices { visible[k][j] = views[k].visible[donor] }
                counts[j] = original[donor]
            }
        }
        self.visible = visible
        self.viewCounts = counts
    }

    static func donor(for i: Int, counts: [Int32], position: (Int) -> Int) -> Int {
        let n = counts.count
        var up = -1, distance = 0
        if let above = (i + 1..<n).first(where: { counts[$0] > 0 }) {
            up = above
            distance = position(above) - position(i)
        } else if let wrapped = (0..<i).first(where: { counts[$0] > 0 }) {
            up = wrapped
            distance = position(n - 1) - position(i) + position(wrapped) - position(0)
        }
        for j in stride(from: i - 1, through: 0, by: -1) {
            if distance <= position(i) - position(j) { return up }
            if counts[j] > 0 { return j }
        }
        return up
    }
}
