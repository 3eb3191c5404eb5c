import Foundation
import PointADSupport

/// The MVTec 3D-AD preprocessing every published MVTec 3D-AD result used (BTF / 3D-ADS
/// `utils/preprocessing.py`, copied into PointAD as `preprocess_mvtec3d.py`), step for step:
/// 1. the valid points (no zero coordinate) of the `edgeWidth` outer rows and columns (corners
///    twice, as the reference concatenates the four bands);
/// 2. a RANSAC plane through them (`segment_plane(0.004, ransac_n 50, 1000 iterations)`, seeded);
/// 3. every pixel with |plane| < `removalThreshold` set to 0, xyz and rgb (an empty pixel's
///    distance is |d|, as in the reference);
/// 4. xyz, rgb and gt padded with zeros, centred, to a square whose side is the larger of height
///    and width, each rounded up to the next multiple of `padMultiple`;
/// 5. DBSCAN(`clusterRadius`, `clusterMinPoints`) over the valid points, and every point outside
///    the most frequent label set to 0, xyz and rgb (noise, −1, counts as a label, as in the reference).
/// A scan whose edge band has fewer valid points than the plane fit draws has no table to remove:
/// it is taken as already preprocessed (the reference's own output has an empty band) and returned
/// unchanged, where the reference script would crash.
public struct BTFPreprocessing: Sendable {
    public var edgeWidth = 10
    public var plane = PlaneRANSAC()
    public var removalThreshold = 0.005
    public var padMultiple = 100
    public var clusterRadius = 0.006
    public var clusterMinPoints = 30

    public init(seed: UInt64 = 0, threads: Int = 0) {
        plane.seed = seed
        plane.threads = threads
    }

    /// What preprocessing did to one scan.
    public struct Report: Sendable, Equatable, Codable {
        /// True when the scan was recognised as already preprocessed and left as it was.
        public var alreadyPreprocessed: Bool
        public var plane: PlaneModel?
        public var edgePoints: Int
        public var planeInliers: Int
        public var inputPoints: Int
        public var removedByPlane: Int
        public var removedByClustering: Int
        public var keptPoints: Int
        public var inputSize: [Int]
        public var outputSize: [Int]
    }

    public struct NoPlaneError: Error, CustomStringConvertible, Sendable {
        public var edgePoints: Int
        public var description: String {
            "no table plane found in the \(edgePoints) points of the 10-pixel edge band (every RANSAC draw was degenerate); the scan cannot be preprocessed like the reference"
        }
    }

    public func apply(_ input: OrganizedScan) throws -> (scan: OrganizedScan, report: Report) {
        let w = input.width, h = input.height
        let inputPoints = Self.validCount(input.xyz)
        let edge = edgePoints(input.xyz)
        var report = Report(alreadyPreprocessed: false, plane: nil, edgePoints: edge.count, planeInliers: 0, inputPoints: inputPoints,
                            removedByPlane: 0, removedByClustering: 0, keptPoints: inputPoints, inputSize: [h, w], outputSize: [h, w])
        guard edge.count >= plane.sampleSize else {
            report.alreadyPreprocessed = true
            return (input, report)
        }
        guard let fit = plane.fit(edge) else { throw NoPlaneError(edgePoints: edge.count) }
        report.plane = fit.plane
        report.planeInliers = fit.inliers.count

        var scan = input
        for i in 0..<(w * h) {
            let x = Double(scan.xyz.values[3 * i]), y = Double(scan.xyz.values[3 * i + 1]), z = Double(scan.xyz.values[3 * i + 2])
            if abs(fit.plane.signedDistance(x, y, z)) < removalThreshold { scan.clear(i) }
        }
        let afterPlane = Self.validCount(scan.xyz)
        report.removedByPlane = inputPoints - afterPlane

        let side = max(Self.roundUp(h, to: padMultiple), Self.roundUp(w, to: padMultiple))
        scan = scan.paddedToSquare(side: side)
        report.outputSize = [side, side]

        let pixels = Self.clusterablePixels(scan.xyz)
        let labels = DensityClustering.dbscan(pixels.map { scan.xyz[$0 % side, $0 / side] }, eps: clusterRadius,
                                              minPoints: clusterMinPoints, threads: plane.threads)
        if let keep = DensityClustering.mostFrequentLabel(labels) {
            for (k, pixel) in pixels.enumerated() where labels[k] != keep { scan.clear(pixel) }
        }
        report.keptPoints = Self.validCount(scan.xyz)
        report.removedByClustering = afterPlane - report.keptPoints
        return (scan, report)
    }

    /// The valid points of the edge band in the reference's order: top rows, bottom rows, left
    /// columns, right columns (each row-major), so corner points appear twice.
    public func edgePoints(_ xyz: XYZImage) -> [SIMD3<Float>] {
        let w = xyz.width, h = xyz.height, band = edgeWidth
        var result: [SIMD3<Float>] = []
        func take(rows: Range<Int>, columns: Range<Int>) {
            for y in rows { for x in columns where Self.isNonZero(xyz[x, y]) { result.append(xyz[x, y]) } }
        }
        take(rows: 0..<min(band, h), columns: 0..<w)
        take(rows: max(0, h - band)..<h, columns: 0..<w)
        take(rows: 0..<h, columns: 0..<min(band, w))
        take(rows: 0..<h, columns: max(0, w - band)..<w)
        return result
    }

    /// The reference's point test, `np.all(p != 0)`; non-finite values (absent from MVTec data)
    /// are left out too, because no distance to them means anything.
    @inline(__always) static func isNonZero(_ p: SIMD3<Float>) -> Bool { XYZImage.isValid(p) }

    static func clusterablePixels(_ xyz: XYZImage) -> [Int] { xyz.validPixelIndices }

    static func validCount(_ xyz: XYZImage) -> Int {
        var count = 0
        xyz.values.withUnsafeBufferPointer { v in
            for i in 0..<(xyz.width * xyz.height) where isNonZero(SIMD3(v[3 * i], v[3 * i + 1], v[3 * i + 2])) { count += 1 }
        }
        return count
    }

    /// `roundup_next_100`: the next multiple at or above `value`.
    static func roundUp(_ value: Int, to multiple: Int) -> Int { (value + multiple - 1) / multiple * multiple }
}
