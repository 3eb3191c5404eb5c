import PointADSupport

/// Turns a table of numbers (rows of `width` values from a text or .npy file) into point columns,
/// naming unnamed columns by the usual layouts and saying so when the layout is a guess.
enum ColumnLayout {
    /// Names for `width` unnamed columns, and a warning when the values had to decide.
    /// 3: x y z. 4: x y z label. 6 and 7 (+ label): the three after x y z are normals when every
    /// row holds a unit (or zero) vector, colours when all lie in 0–1 or are integers in 0–255,
    /// else kept as scalars. Other widths: x y z then scalars `column4`, `column5`, ….
    static func guess(width: Int, values: [Float], path: String) throws -> (names: [String], warning: String?) {
        guard width >= 3 else { throw FileError(path, "\(width) column\(width == 1 ? "" : "s") per line (at least x y z needed)") }
        let rows = values.count / width
        let extras = (3..<width).map { "column\($0 + 1)" }
        func column(_ c: Int) -> some Sequence<Float> { (0..<rows).lazy.map { values[$0 * width + c] } }
        func isLabel(_ c: Int) -> Bool { column(c).allSatisfy { $0 == 0 || $0 == 1 } }
        switch width {
        case 3:
            return (["x", "y", "z"], nil)
        case 4:
            return (["x", "y", "z", "label"], isLabel(3) ? nil
                    : "\(path): 4 unnamed columns read as x y z label, but column 4 is not all 0/1; name the columns with --columns if it is something else")
        case 6, 7:
            let unit = (0..<rows).allSatisfy { i in
                let n = SIMD3(values[i * width + 3], values[i * width + 4], values[i * width + 5])
                let length = (n * n).sum().squareRoot()
                return abs(length - 1) < 0.02 || length < 1e-6
            }
            let triple = (0..<rows).flatMap { i in values[(i * width + 3)..<(i * width + 6)] }
            let fractions = triple.allSatisfy { $0 >= 0 && $0 <= 1 }
            let bytes = triple.allSatisfy { $0 >= 0 && $0 <= 255 && $0 == $0.rounded() }
            let label = width == 7 ? ["label"] : []
            let (names, reason): ([String], String)
            if unit {
                (names, reason) = (["nx", "ny", "nz"], "normals nx ny nz (every row a unit vector)")
            } else if fractions || bytes {
                (names, reason) = (["r", "g", "b"], "colours r g b (all values in \(bytes ? "0–255, integers" : "0–1"))")
            } else {
                (names, reason) = (Array(extras.prefix(3)), "scalars column4–column6 (neither unit normals nor colours)")
            }
            return (["x", "y", "z"] + names + label,
                    "\(path): \(width) unnamed columns; read columns 4–6 as \(reason). If that is wrong, name them with --columns (e.g. x,y,z,r,g,b or x,y,z,nx,ny,nz)")
        default:
            return (["x", "y", "z"] + extras,
                    "\(path): \(width) unnamed columns; read as x y z and scalars \(extras.first!)…\(extras.last!). Name them with --columns")
        }
    }

    /// The named columns of a row-major table ("_" columns dropped). Colour columns count as
    /// 8-bit when a value exceeds 1, 16-bit when one exceeds 255, else as 0–1.
    static func columns(names: [String], values: [Float], width: Int, noun: String) -> PointColumns {
        let rows = values.count / width
        var result = PointColumns(count: rows, noun: noun)
        var colourMaximum: Float = 0
        for (c, name) in names.enumerated() where ["r", "g", "b", "red", "green", "blue"].contains(name) {
            for i in 0..<rows { colourMaximum = max(colourMaximum, values[i * width + c]) }
        }
        let colourType: ScalarType = colourMaximum > 255 ? .uint16 : colourMaximum > 1 ? .uint8 : .float32
        for (c, name) in names.enumerated() where name != "_" {
            var column = [Float](repeating: 0, count: rows)
            for i in 0..<rows { column[i] = values[i * width + c] }
            let isColour = ["r", "g", "b", "red", "green", "blue", "a", "alpha"].contains(name)
            result.columns.append(.init(name: name, type: isColour ? colourType : .float32, values: column))
        }
        return result
    }
}
