/// A supersampled z-buffer of point splats. Each cell holds one 32-bit key: the depth quantised
/// to 20 bits over the view's depth range, above the point's value quantised to 12 bits (finer
/// than the 8-bit output). Keeping the smallest key is the depth test, branch-free and vectorised;
/// on equal depths the smaller value wins, so the result does not depend on the drawing order.
/// Half the memory traffic of float depth + float value, which is what the splatting is bound by.
struct SplatBuffer {
    static let empty = UInt32.max
    static let valueBits: UInt32 = 12
    static let valueMax: Float = 4095
    static let depthMax: Float = Float((1 << 20) - 2)
    /// Row masks by splat width 0…8: lanes inside the splat 0, lanes past it all ones, so
    /// `key | mask` leaves cells outside the splat untouched under `min`. (A table, because SIMD
    /// comparisons and `replacing(with:where:)` compile to slow per-lane loops.)
    static let rowMasks: [SIMD8<UInt32>] = (0...8).map { width in
        SIMD8((0..<8).map { $0 < width ? UInt32(0) : UInt32.max })
    }
    /// The same for splats 9…16 cells wide (Real3D's point size 12).
    static let wideRowMasks: [SIMD16<UInt32>] = (0...16).map { width in
        SIMD16((0..<16).map { $0 < width ? UInt32(0) : UInt32.max })
    }

    /// Each 12-bit value rounded to an 8-bit level, as `resolve` rounds with `levels` 255.
    static let eightBitLevels: [Float] = (0...Int(valueMax)).map { (Float($0) * (1 / valueMax) * 255).rounded() / 255 }

    /// Side of the supersampled grid.
    let side: Int
    let factor: Int
    /// Depth range the 20 bits span.
    let near: Float
    let depthScale: Float
    var keys: [UInt32]

    init(size: Int, factor: Int, near: Float, far: Float) {
        self.init(side: size * factor, factor: factor, near: near, far: far)
    }

    /// A `side`² buffer drawn in its own pixel units (a reference window: `factor` 1).
    init(side: Int, factor: Int = 1, near: Float, far: Float) {
        self.factor = factor
        self.side = side
        self.near = near
        depthScale = far > near ? Self.depthMax / (far - near) : 0
        keys = [UInt32](repeating: Self.empty, count: side * side)
    }

    @inline(__always) func key(depth: Float, value: Float) -> UInt32 {
        let d = min(max((depth - near) * depthScale, 0), Self.depthMax)
        let v = min(max(value, 0), 1) * Self.valueMax + 0.5
        return UInt32(d) &<< Self.valueBits | UInt32(v)
    }

    /// The depth a key stands for (rounded down by at most one quantum, `1 / depthScale`).
    @inline(__always) func depth(of key: UInt32) -> Float {
        depthScale > 0 ? near + Float(key >> Self.valueBits) / depthScale : near
    }

    /// Draws every point with a finite depth. `x`, `y` are output-grid edge coordinates; `radius` is
    /// in output pixels. A point always covers the supersampled cell under its own centre, so its
    /// own output pixel is never left empty.
    mutating func draw(x: [Double], y: [Double], depth: [Float], values: [Float], radius: Double, shape: SplatShape) {
        let k = Double(factor), side = self.side
        // Half-width in cells; the minimum keeps the centre cell covered (its centre is ≤ 0.5 away per axis).
        let r = max(radius * k, shape == .square ? 0.5 : 0.7072)
        let this = self
        let rowMasks = Self.rowMasks, wideRowMasks = Self.wideRowMasks
        keys.withUnsafeMutableBufferPointer { buffer in
            let cells = buffer.baseAddress!
            for i in 0..<x.count where depth[i].isFinite {
                let key = this.key(depth: depth[i], value: values[i])
                let sx = x[i] * k, sy = y[i] * k
                // Cells whose centres (j + 0.5) lie in [s − r, s + r).
                let r0 = Self.firstCell(sy - r, side), r1 = Self.firstCell(sy + r, side) - 1
                if r0 > r1 { continue }
                if shape == .square {
                    let c0 = Self.firstCell(sx - r, side), c1 = Self.firstCell(sx + r, side) - 1
                    if c0 > c1 { continue }
                    let width = c1 - c0 + 1
                    if width <= 8 && c0 + 8 <= side {
                        // One 8-lane min per row; lanes past the splat take UInt32.max and keep their cell.
                        let keys = SIMD8<UInt32>(repeating: key) | rowMasks[width]
                        for row in r0...r1 {
                            let cell = UnsafeMutableRawPointer(cells + (row &* side &+ c0))
                            let merged = pointwiseMin(cell.loadUnaligned(as: SIMD8<UInt32>.self), keys)
                            cell.storeBytes(of: merged, as: SIMD8<UInt32>.self)
                        }
                        continue
                    }
                    if width <= 16 && c0 + 16 <= side {
                        let keys = SIMD16<UInt32>(repeating: key) | wideRowMasks[width]
                        for row in r0...r1 {
                            let cell = UnsafeMutableRawPointer(cells + (row &* side &+ c0))
                            let merged = pointwiseMin(cell.loadUnaligned(as: SIMD16<UInt32>.self), keys)
                            cell.storeBytes(of: merged, as: SIMD16<UInt32>.self)
                        }
                        continue
                    }
                    for row in r0...r1 {
                        let line = cells + row &* side
                        for c in c0...c1 { line[c] = min(line[c], key) }
                    }
                    continue
                }
                for row in r0...r1 {
                    let dy = Double(row) + 0.5 - sy
                    let half = (r * r - dy * dy).squareRoot()
                    if !(half >= 0) { continue }
                    let c0 = Self.firstCell(sx - half, side), c1 = Self.firstCell(sx + half, side) - 1
                    if c0 > c1 { continue }
                    let line = cells + row &* side
                    for c in c0...c1 { line[c] = min(line[c], key) }
                }
            }
        }
    }

    /// The first cell whose centre is at or right of `edge`, clamped to [0, side].
    @inline(__always) static func firstCell(_ edge: Double, _ side: Int) -> Int {
        let c = (edge - 0.5).rounded(.up)
        guard c > 0 else { return 0 }          // also NaN
        return c >= Double(side) ? side : Int(c)
    }

    /// Row `row` of drawn values into `line` (`side` floats), `background` where nothing was drawn;
    /// with `levels`, values are rounded to multiples of 1/levels (an 8-bit framebuffer: 255).
    func resolve(row: Int, background: Float, levels: Float? = nil, into line: UnsafeMutablePointer<Float>) {
        let mask = (UInt32(1) << Self.valueBits) - 1, scale = 1 / Self.valueMax
        if levels == 255 {
            // An 8-bit window (every reference render): one table look-up per cell instead of a
            // conversion and a rounding, the table holding exactly what they compute.
            let table = Self.eightBitLevels, empty = (background * 255).rounded() / 255
            keys.withUnsafeBufferPointer { k in
                let cells = k.baseAddress! + row * side
                table.withUnsafeBufferPointer { t in
                    for i in 0..<side { line[i] = cells[i] == Self.empty ? empty : t[Int(cells[i] & mask)] }
                }
            }
            return
        }
        keys.withUnsafeBufferPointer { k in
            let cells = k.baseAddress! + row * side
            for i in 0..<side {
                line[i] = cells[i] == Self.empty ? background : Float(cells[i] & mask) * scale
            }
        }
        if let levels {
            for i in 0..<side { line[i] = (line[i] * levels).rounded() / levels }
        }
    }
}
