/// Connected defect regions of a ground-truth mask, as AU-PRO needs them: 8-connectivity (the
/// `ones(3,3)` structure of MVTec's evaluator and skimage's default), foreground = nonzero, regions
/// numbered 1, 2, … in raster order of their first pixel (scipy's `ndimage.label` numbering).
public enum ConnectedRegions {
    /// Region id per pixel (0 = background) and the number of regions, for a row-major mask.
    public static func label(mask: [UInt8], width: Int, height: Int) -> (ids: [Int32], count: Int) {
        precondition(mask.count == width * height, "mask has \(mask.count) pixels, expected \(width)×\(height)")
        var ids = [Int32](repeating: 0, count: mask.count)
        var count: Int32 = 0
        var stack: [Int] = []
        for start in 0..<mask.count where mask[start] != 0 && ids[start] == 0 {
            count += 1
            ids[start] = count
            stack.append(start)
            while let pixel = stack.popLast() {
                let y = pixel / width, x = pixel % width
                for ny in max(y - 1, 0)...min(y + 1, height - 1) {
                    for nx in max(x - 1, 0)...min(x + 1, width - 1) {
                        let q = ny * width + nx
                        if mask[q] != 0 && ids[q] == 0 {
                            ids[q] = count
                            stack.append(q)
                        }
                    }
                }
            }
        }
        return (ids, Int(count))
    }
}
