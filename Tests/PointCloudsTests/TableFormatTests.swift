import Foundation
import PointADSupport
import Testing
import TestSupport
@testable import PointClouds

/// Text tables with header lines, semicolons and `--columns`, the warnings of guessed layouts,
/// .npy arrays, and integer PLY/PCD values that their type cannot hold.
@Suite struct TableFormatTests {
    final class Warnings: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [String] = []
        func add(_ s: String) { lock.lock(); list.append(s); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return list }
    }

    func read(_ bytes: [UInt8], _ name: String, columns: String? = nil) throws -> (PointCloud, [String]) {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = try TestFiles.write(bytes, name, in: directory)
        let warnings = Warnings()
        let options = CloudLoadOptions(columns: try columns.map { try ColumnSpec(parsing: $0) }, warn: { warnings.add($0) })
        return (try PointCloudFile.read(url, options: options), warnings.all)
    }

    func read(_ text: String, _ name: String, columns: String? = nil) throws -> (PointCloud, [String]) {
        try read(Array(text.utf8), name, columns: columns)
    }

    @Test func headerLinesNameTheColumns() throws {
        let (a, warningsA) = try read("x;y;z;red;green;blue;intensity\n1;2;3;255;0;51;7\n4;5;6;0;255;102;8\n", "scan.csv")
        #expect(a.positions == [SIMD3(1, 2, 3), SIMD3(4, 5, 6)])
        #expect(a.colors == [SIMD3(1, 0, 0.2), SIMD3(0, 1, 0.4)])
        #expect(a.scalars["intensity"] == [7, 8])
        #expect(warningsA.isEmpty)
        // CloudCompare: "//X,Y,Z,Nx,Ny,Nz".
        let (b, _) = try read("//X,Y,Z,Nx,Ny,Nz\n1,2,3,0,0,1\n", "export.txt")
        #expect(b.positions == [SIMD3(1, 2, 3)] && b.normals == [SIMD3(0, 0, 1)])
    }

    @Test func sixUnnamedColumnsAreGuessedAndSaidSo() throws {
        let (normals, w1) = try read("0 0 0 0 0 1\n1 0 0 0.6 0.8 0\n", "n.xyz")
        #expect(normals.normals == [SIMD3(0, 0, 1), SIMD3(0.6, 0.8, 0)] && normals.colors == nil)
        #expect(w1.count == 1 && w1[0].contains("normals nx ny nz") && w1[0].contains("--columns"))
        let (colours, w2) = try read("0 0 0 255 128 0\n1 0 0 0 0 255\n", "c.xyz")
        #expect(colours.colors == [SIMD3(1, 128.0 / 255, 0), SIMD3(0, 0, 1)] && colours.normals == nil)
        #expect(w2.count == 1 && w2[0].contains("colours r g b") && w2[0].contains("c.xyz"))
        let (other, w3) = try read("0 0 0 -5 300 2\n", "o.xyz")
        #expect(other.scalars["column4"] == [-5] && other.scalars["column6"] == [2])
        #expect(w3.count == 1 && w3[0].contains("scalars"))
    }

    @Test func columnsOptionOverridesTheGuessAndSkips() throws {
        let (cloud, warnings) = try read("9 0 0 0 0 0 1 3\n9 1 1 1 1 1 1 4\n", "c.txt", columns: "_,x,y,z,r,g,b,label")
        #expect(cloud.positions == [SIMD3(0, 0, 0), SIMD3(1, 1, 1)])
        #expect(cloud.colors == [SIMD3(0, 0, 1), SIMD3(1, 1, 1)])
        #expect(cloud.scalars == ["label": [3, 4]])
        #expect(warnings.isEmpty)
        #expect(throws: FileError.self) { try read("1 2 3\n", "c.txt", columns: "x,y,z,label") }
    }

    @Test("bad --columns are usage errors", arguments: ["x,y", "x,y,z,x", "x,y,z,r,g", "x,y,z,1a", "x,,y,z"])
    func badColumnSpecs(spec: String) {
        #expect(throws: UsageError.self) { try ColumnSpec(parsing: spec) }
    }

    /// numpy.save's format, written here independently of NPYFile.
    static func npy(_ descr: String, shape: String, fortran: Bool = false, payload: [UInt8]) -> [UInt8] {
        var header = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }"
        header += String(repeating: " ", count: 63 - (10 + header.utf8.count) % 64) + "\n"
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)] + Array(header.utf8) + payload
    }

    static func littleEndian(_ values: [Double]) -> [UInt8] { values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } } }
    static func littleEndian(_ values: [Float]) -> [UInt8] { values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } } }

    @Test func npyClouds() throws {
        let (a, wa) = try read(Self.npy("<f8", shape: "(2, 3)", payload: Self.littleEndian([1.5, 2, 3, -4, 5, 6e3] as [Double])), "a.npy")
        #expect(a.positions == [SIMD3(1.5, 2, 3), SIMD3(-4, 5, 6000)] && wa.isEmpty)
        let (b, wb) = try read(Self.npy("<f4", shape: "(1, 6)", payload: Self.littleEndian([1, 2, 3, 0.5, 0.25, 1] as [Float])), "b.npy")
        #expect(b.colors == [SIMD3(0.5, 0.25, 1)] && wb.count == 1)
        let (c, _) = try read(Self.npy("<f4", shape: "(1, 4)", payload: Self.littleEndian([7, 1, 2, 3] as [Float])), "c.npy", columns: "intensity,x,y,z")
        #expect(c.positions == [SIMD3(1, 2, 3)] && c.scalars == ["intensity": [7]])
    }

    @Test("npy arrays that are not clouds are refused clearly", arguments: [
        (npy("<i4", shape: "(1, 3)", payload: [UInt8](repeating: 0, count: 12)), "int32 values"),
        (npy("<f4", shape: "(3,)", payload: [UInt8](repeating: 0, count: 12)), "shape [3]"),
        (npy("<f4", shape: "(1, 4)", payload: [UInt8](repeating: 0, count: 16)), "N×3 (x y z) or N×6"),
        (npy("<f4", shape: "(2, 3)", fortran: true, payload: [UInt8](repeating: 0, count: 24)), "Fortran"),
        (npy("<f4", shape: "(2, 3)", payload: [UInt8](repeating: 0, count: 20)), "truncated"),
        (npy("<f4", shape: "(0, 3)", payload: []), "contains no points"),
        (Array("not numpy".utf8), "bad magic"),
    ])
    func badNPY(bytes: [UInt8], problem: String) throws {
        do {
            _ = try read(bytes, "bad.npy")
            Issue.record("no error for \(problem)")
        } catch let error as FileError {
            #expect(error.path.hasSuffix("bad.npy"))
            #expect(error.problem.contains(problem), "\(error.problem)")
        }
    }

    /// Issue 16: an `int` PLY value of 1e20 was read as the float 1e20 without a word.
    @Test("integer values their type cannot hold are refused", arguments: [
        ("int", "1e20", "'1e20' is outside the range of int32"),
        ("uchar", "300", "'300' is outside the range of uint8"),
        ("short", "2.5", "'2.5' is not a whole number"),
        ("uint", "-1", "'-1' is outside the range of uint32"),
    ])
    func plyIntegerOutOfRange(type: String, value: String, problem: String) throws {
        let header = "ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\nproperty \(type) q\nend_header\n"
        do {
            _ = try read(header + "0 0 0 \(value)\n", "a.ply")
            Issue.record("\(type) \(value) accepted")
        } catch let error as FileError {
            #expect(error.problem.contains(problem) && error.problem.contains("line 9"), "\(error.problem)")
        }
        let (fine, _) = try read(header + "0 0 0 -0\n", "b.ply")
        #expect(fine.scalars["q"] == [0])
        let pcd = "FIELDS x y z q\nSIZE 4 4 4 4\nTYPE F F F I\nCOUNT 1 1 1 1\nWIDTH 1\nHEIGHT 1\nPOINTS 1\nDATA ascii\n0 0 0 1e20\n"
        #expect(throws: FileError.self) { try read(pcd, "c.pcd") }
    }
}
