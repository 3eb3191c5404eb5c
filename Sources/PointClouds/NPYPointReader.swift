import Foundation
import PointADSupport

/// Reads a point cloud saved with `numpy.save`: a C-order float32 or float64 array of N×3 (x y z)
/// or N×6 rows (x y z and normals or colours, told apart as for text files), or of any width
/// when `--columns` names the columns. Other types, shapes and Fortran order are refused.
public enum NPYPointReader {
    public static func read(_ url: URL, columns: ColumnSpec? = nil, warn: (String) -> Void = { _ in }) throws -> PointCloud {
        let data = try FileBytes.load(url)
        return try read(data: data, path: url.path, columns: columns, warn: warn)
    }

    public static func read(data: Data, path: String, columns spec: ColumnSpec? = nil, warn: (String) -> Void = { _ in }) throws -> PointCloud {
        let array = try NPYFile.decode(data, path: path)
        guard array.dtype == .float32 || array.dtype == .float64 else {
            throw FileError(path, "npy array of \(array.dtype) values; point clouds must be float32 or float64")
        }
        guard array.shape.count == 2 else {
            throw FileError(path, "npy array of shape \(array.shape); a point cloud is N×3 (x y z) or N×6 (x y z + normals or colours)")
        }
        let width = array.shape[1]
        let names: [String]
        let values = array.floats()
        if let spec {
            guard spec.names.count == width else {
                throw FileError(path, "--columns names \(spec.names.count) columns, but the array is \(array.shape[0])×\(width)")
            }
            names = spec.names
        } else {
            guard width == 3 || width == 6 else {
                throw FileError(path, "npy array of shape \(array.shape); a point cloud is N×3 (x y z) or N×6 (x y z + normals or colours), or name other columns with --columns")
            }
            let (guessed, warning) = try ColumnLayout.guess(width: width, values: values, path: path)
            if let warning { warn(warning) }
            names = guessed
        }
        return try ColumnLayout.columns(names: names, values: values, width: width, noun: "row").assemble(path: path)
    }
}
