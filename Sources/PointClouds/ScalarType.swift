/// The scalar types PLY and PCD files store, with their sizes and spellings.
public enum ScalarType: String, Sendable, CaseIterable {
    case int8, uint8, int16, uint16, int32, uint32, int64, uint64, float32, float64

    public var size: Int {
        switch self {
        case .int8, .uint8: 1
        case .int16, .uint16: 2
        case .int32, .uint32, .float32: 4
        case .int64, .uint64, .float64: 8
        }
    }

    public var isInteger: Bool { self != .float32 && self != .float64 }

    /// Why a number read from ASCII data cannot be a value of this type (nil when it can): an
    /// integer type takes only whole numbers within its range, so `int` 1e20 or `uchar` 300 is an
    /// error rather than a float that no binary file of the same header could hold.
    func problem(storing value: Double) -> String? {
        guard isInteger else { return nil }
        let range: ClosedRange<Double> = switch self {
        case .int8: -128...127
        case .uint8: 0...255
        case .int16: -32768...32767
        case .uint16: 0...65535
        case .int32: -2147483648...2147483647
        case .uint32: 0...4294967295
        case .int64: -9.223372036854775808e18...9.223372036854775807e18
        default: 0...1.8446744073709551615e19
        }
        guard value == value.rounded() else { return "is not a whole number (the type is \(rawValue))" }
        guard range.contains(value) else { return "is outside the range of \(rawValue)" }
        return nil
    }

    /// PLY spellings: the classic names and the sized aliases (`uchar` = `uint8`, …). PLY has no 64-bit integers.
    public init?(plyName: String) {
        switch plyName {
        case "char", "int8": self = .int8
        case "uchar", "uint8": self = .uint8
        case "short", "int16": self = .int16
        case "ushort", "uint16": self = .uint16
        case "int", "int32": self = .int32
        case "uint", "uint32": self = .uint32
        case "float", "float32": self = .float32
        case "double", "float64": self = .float64
        default: return nil
        }
    }

    /// The classic PLY name (what plyfile and Open3D write).
    public var plyName: String {
        switch self {
        case .int8: "char"
        case .uint8: "uchar"
        case .int16: "short"
        case .uint16: "ushort"
        case .int32: "int"
        case .uint32: "uint"
        case .int64: "int64"
        case .uint64: "uint64"
        case .float32: "float"
        case .float64: "double"
        }
    }

    /// PCD `TYPE` letter (I, U, F) with `SIZE` in bytes.
    public init?(pcdType: String, size: Int) {
        switch (pcdType, size) {
        case ("I", 1): self = .int8
        case ("U", 1): self = .uint8
        case ("I", 2): self = .int16
        case ("U", 2): self = .uint16
        case ("I", 4): self = .int32
        case ("U", 4): self = .uint32
        case ("I", 8): self = .int64
        case ("U", 8): self = .uint64
        case ("F", 4): self = .float32
        case ("F", 8): self = .float64
        default: return nil
        }
    }

    public var pcdType: String { self == .float32 || self == .float64 ? "F" : (isSigned ? "I" : "U") }

    var isSigned: Bool { self == .int8 || self == .int16 || self == .int32 || self == .int64 }

    /// Reads one value at `pointer` (unaligned) in the given byte order.
    @inline(__always)
    func load(_ pointer: UnsafeRawPointer, bigEndian: Bool) -> Double {
        switch self {
        case .int8: return Double(pointer.load(as: Int8.self))
        case .uint8: return Double(pointer.load(as: UInt8.self))
        case .int16: return Double(Int16(bitPattern: Self.raw(pointer, UInt16.self, bigEndian)))
        case .uint16: return Double(Self.raw(pointer, UInt16.self, bigEndian))
        case .int32: return Double(Int32(bitPattern: Self.raw(pointer, UInt32.self, bigEndian)))
        case .uint32: return Double(Self.raw(pointer, UInt32.self, bigEndian))
        case .int64: return Double(Int64(bitPattern: Self.raw(pointer, UInt64.self, bigEndian)))
        case .uint64: return Double(Self.raw(pointer, UInt64.self, bigEndian))
        case .float32: return Double(Float(bitPattern: Self.raw(pointer, UInt32.self, bigEndian)))
        case .float64: return Double(bitPattern: Self.raw(pointer, UInt64.self, bigEndian))
        }
    }

    /// Reads an integer value (list counts); nil for float types.
    @inline(__always)
    func loadInteger(_ pointer: UnsafeRawPointer, bigEndian: Bool) -> Int? {
        switch self {
        case .int8: return Int(pointer.load(as: Int8.self))
        case .uint8: return Int(pointer.load(as: UInt8.self))
        case .int16: return Int(Int16(bitPattern: Self.raw(pointer, UInt16.self, bigEndian)))
        case .uint16: return Int(Self.raw(pointer, UInt16.self, bigEndian))
        case .int32: return Int(Int32(bitPattern: Self.raw(pointer, UInt32.self, bigEndian)))
        case .uint32: return Int(Self.raw(pointer, UInt32.self, bigEndian))
        case .int64: return Int(Int64(bitPattern: Self.raw(pointer, UInt64.self, bigEndian)))
        case .uint64: return Int(exactly: Self.raw(pointer, UInt64.self, bigEndian))
        case .float32, .float64: return nil
        }
    }

    @inline(__always)
    static func raw<T: FixedWidthInteger>(_ pointer: UnsafeRawPointer, _: T.Type, _ bigEndian: Bool) -> T {
        let v = pointer.loadUnaligned(as: T.self)
        return bigEndian ? T(bigEndian: v) : T(littleEndian: v)
    }

    /// Decodes `count` values spaced `stride` bytes apart into float32 (doubles rounded to nearest).
    /// One loop per type so the compiler keeps each loop branch-free.
    func decodeColumn(_ base: UnsafeRawPointer, count: Int, stride: Int, bigEndian: Bool, into out: UnsafeMutablePointer<Float>) {
        switch self {
        case .float32:
            if bigEndian {
                for i in 0..<count { out[i] = Float(bitPattern: UInt32(bigEndian: (base + i &* stride).loadUnaligned(as: UInt32.self))) }
            } else {
                for i in 0..<count { out[i] = (base + i &* stride).loadUnaligned(as: Float.self) }
            }
        case .float64:
            if bigEndian {
                for i in 0..<count { out[i] = Float(Double(bitPattern: UInt64(bigEndian: (base + i &* stride).loadUnaligned(as: UInt64.self)))) }
            } else {
                for i in 0..<count { out[i] = Float((base + i &* stride).loadUnaligned(as: Double.self)) }
            }
        case .uint8:
            for i in 0..<count { out[i] = Float((base + i &* stride).load(as: UInt8.self)) }
        case .int8:
            for i in 0..<count { out[i] = Float((base + i &* stride).load(as: Int8.self)) }
        default:
            for i in 0..<count { out[i] = Float(load(base + i &* stride, bigEndian: bigEndian)) }
        }
    }
}
