/// A supersampled z-buffer of point splats. Each cell holds one 64-bit key: the depth's float bits
/// (positive floats order like their bits) above a 32-bit payload. Keeping the smallest key is the
/// depth test, branch-free, and on equal depths the smaller payload wins, so the result does not
/// depend on the drawing order.
struct SplatBuffer {
    static let empty = UInt64.max

    /// Side of the supersampled grid.
    let side: Int
    let factor: Int
    var keys: [UInt64]

    init(size: Int, factor: Int) {
        self.factor = factor
        side = size * factor
        keys = [UInt64](repeating: Self.empty, count: side * side)
    }

    @inline(__always) static func key(depth: Float, payload: UInt32) -> UInt64 {
        UInt64(depth.bitPattern) &<< 32 | UInt64(payload)
    }

    /// Draws every point with a finite depth. `x`, `y` are output-grid edge coordinates; `radius` is
    /// in output pixels. A point always covers the supersampled cell under its own centre, so its
    /// own output pixel is never left empty.
    mutating func draw(x: [Double], y: [Double], depth: [Float], payload: [UInt32], radius: Double, shape: SplatShape) {
        let k = Double(factor), side = self.side
        // Half-width in cells; the minimum keeps the centre cell covered (its centre is ≤ 0.5 away per axis).
        let r = max(radius * k, shape == .square ? 0.5 : 0.7072)
        keys.withUnsafeMutableBufferPointer { buffer in
            let cells = buffer.baseAddress!
            for i in 0..<x.count where depth[i].isFinite {
                let key = Self.key(depth: depth[i], payload: payload[i])
                let sx = x[i] * k, sy = y[i] * k
                // Cells whose centres (j + 0.5) lie in [s − r, s + r).
                let r0 = Self.firstCell(sy - r, side), r1 = Self.firstCell(sy + r, side) - 1
                if r0 > r1 { continue }
                for row in r0...r1 {
                    var half = r
                    if shape == .disc {
                        let dy = Double(row) + 0.5 - sy
                        half = (r * r - dy * dy).squareRoot()
                        if !(half >= 0) { continue }
                    }
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

    /// The payloads as floats, `background` where nothing was drawn.
    func resolve(background: Float) -> [Float] {
        keys.map { $0 == Self.empty ? background : Float(bitPattern: UInt32(truncatingIfNeeded: $0)) }
    }
}
