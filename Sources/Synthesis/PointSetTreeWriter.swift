import Foundation
import PointADSupport
import PointClouds

/// Writes samples in the layouts of the point-cloud benchmarks (datasets.md §2, §3.1):
///
///     Real3D-AD         <class>/train/<k>_template.pcd, <class>/test/<i>_<good|bulge|sink|cut|copy>.pcd,
///                       <class>/gt/<i>_<kind>.txt   rows `x y z label`
///     Anomaly-ShapeNet  <class>/train/<class>_template<k>.pcd, <class>/test/<class>_<positive|type><k>.pcd,
///                       <class>/GT/<class>_<type><k>.txt   rows `x,y,z,label`
///
/// Clouds are binary float32 PCDs (what Open3D's legacy reader, used by the official code, reads
/// correctly). An anomalous sample's gt file holds the same points as its .pcd, in the same order.
enum PointSetTreeWriter {
    static func writeSample(_ job: SampleJob, of objectClass: SyntheticClass, settings: SynthesisSettings, classDirectory: URL) throws {
        let real3d = settings.layout == .real3d
        // Real3D-AD: millimetre scans with a little noise, placed off-centre as a scanner sees them;
        // Anomaly-ShapeNet: clean samples of CAD surfaces around the origin.
        let sample = SampleSynthesizer.cloud(of: objectClass, defects: job.defects, seed: job.seed, count: settings.points,
                                             noise: real3d ? 0.001 : 0, offset: real3d ? 20 : 0,
                                             resolution: settings.meshResolution)
        let points = PointCloud(positions: sample.points)
        try PCDWriter.write(points, to: classDirectory.appendingPathComponent("\(job.split)/\(job.stem).pcd"),
                            encoding: .binary, heatMap: nil)
        guard job.isDefective else { return }
        let labelled = PointCloud(positions: sample.points, scalars: ["label": sample.labels.map(Float.init)])
        let gtFolder = real3d ? "gt" : "GT"
        try PointTextWriter.write(labelled, to: classDirectory.appendingPathComponent("\(gtFolder)/\(job.stem).txt"),
                                  separator: real3d ? " " : ",")
    }
}
