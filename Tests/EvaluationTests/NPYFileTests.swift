import Foundation
import PointADSupport
import Testing
import TestSupport

// Saved scores must open in numpy unchanged. The byte strings below were written once by
// numpy 2.4.6 `np.save` (not by this code).
@Suite("NPY files")
struct NPYFileTests {
    static func bytes(_ hex: String) -> Data {
        Data(stride(from: 0, to: hex.count, by: 2).map { i in
            UInt8(hex[hex.index(hex.startIndex, offsetBy: i)..<hex.index(hex.startIndex, offsetBy: i + 2)], radix: 16)!
        })
    }

    static let header = "934e554d5059010076007b276465736372273a2027"
    static let pad = String(repeating: "20", count: 60)
    static let float32Vector = bytes(header + "3c6634272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028332c292c207d"
        + pad + "0a0000c03f000000c000005040")
    static let bigEndianMatrix = bytes(header + "3e6934272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028322c2032292c207d"
        + String(repeating: "20", count: 58) + "0a00000001fffffffe0000000300011170")
    static let bools = bytes(header + "7c6231272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028332c292c207d"
        + pad + "0a010001")

    @Test("Writing float32 gives numpy's exact bytes, and reading gives the values back")
    func float32RoundTrip() throws {
        let dir = try TestPaths.temporaryDirectory()
        let url = dir.appendingPathComponent("s.npy")
        try NPYFile.write([1.5, -2, 3.25] as [Float], to: url)
        #expect(try Data(contentsOf: url) == Self.float32Vector)
        let back = try NPYFile.read(url)
        #expect(back.shape == [3] && back.dtype == .float32)
        #expect(back.floats() == [1.5, -2, 3.25])
    }

    @Test("Big-endian int32 matrices and bools written by numpy read correctly")
    func foreignFiles() throws {
        let dir = try TestPaths.temporaryDirectory()
        let m = dir.appendingPathComponent("m.npy"), b = dir.appendingPathComponent("b.npy")
        try Self.bigEndianMatrix.write(to: m)
        try Self.bools.write(to: b)
        let matrix = try NPYFile.read(m)
        #expect(matrix.shape == [2, 2])
        #expect(matrix.int32s() == [1, -2, 3, 70000])
        #expect(try NPYFile.read(b).floats() == [1, 0, 1])
    }

    @Test("Truncated, lying and foreign files fail with the path named")
    func badFiles() throws {
        let dir = try TestPaths.temporaryDirectory()
        let url = dir.appendingPathComponent("bad.npy")
        for data in [Self.float32Vector.dropLast(2), Data("hello".utf8),
                     Data(String(data: Self.float32Vector.prefix(128), encoding: .isoLatin1)!
                        .replacingOccurrences(of: "(3,)", with: "(9999999999999,)").data(using: .isoLatin1)!)] {
            try Data(data).write(to: url)
            #expect { try NPYFile.read(url) } throws: { ($0 as? FileError)?.path == url.path }
        }
    }
}
