/// The largest image any reader decodes. Checked against the size a file's header declares, before
/// anything is allocated: a 1 MB PNG can declare 20000×20000 pixels and would otherwise be
/// inflated to gigabytes (9 GB as float RGB) before any other check ran.
///
/// 2^25 pixels (5792×5792) is far above any scanner or benchmark image (MVTec 3D-AD is at most
/// 800×800) and keeps the worst accepted image to about 100 MB of bytes (400 MB as float RGB).
public enum PixelBudget {
    public static let maximumPixels = 1 << 25

    /// Throws unless `width × height` is positive and within the budget, naming the file and both sizes.
    public static func check(width: Int, height: Int, path: String, format: String) throws {
        guard width > 0, height > 0 else { throw FileError(path, "\(format) declares an empty size \(width)×\(height)") }
        guard width <= maximumPixels / height else {
            throw FileError(path, "\(format) declares \(width)×\(height) pixels, over the \(maximumPixels)-pixel limit (e.g. 5792×5792); refused before decoding")
        }
    }
}
