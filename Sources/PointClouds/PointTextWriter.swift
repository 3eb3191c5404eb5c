import Foundation
import PointADSupport

/// Writes one point per line, `x y z` plus `label` when the cloud has that scalar: Real3D-AD
/// ground truth with a space separator, Anomaly-ShapeNet with a comma.
public enum PointTextWriter {
    public static func write(_ cloud: PointCloud, to url: URL, separator: String = " ") throws {
        let labels = cloud.scalars["label"]
        if let labels, labels.count != cloud.count {
            throw FileError(url.path, "label field has \(labels.count) values for \(cloud.count) points")
        }
        var out = TextOutput()
        for i in 0..<cloud.count {
            let p = cloud.positions[i]
            out.append(p.x); out.append(separator); out.append(p.y); out.append(separator); out.append(p.z)
            if let labels {
                out.append(separator)
                let l = labels[i]
                if l == l.rounded(), abs(l) < 1e9 { out.append(Int(l)) } else { out.append(l) }
            }
            out.newline()
        }
        try AtomicFile.write(Data(out.bytes), to: url)
    }
}
