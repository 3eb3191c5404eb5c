import Foundation
import PointADSupport
import Testing
import TestSupport
@testable import PointClouds

/// Malformed input of every kind is a FileError naming the file and the problem: never a crash,
/// never an allocation sized by a lying header.
@Suite struct BadInputTests {
    func problem(_ text: String, _ name: String) throws -> String {
        try problem(Array(text.utf8), name)
    }

    func problem(_ bytes: [UInt8], _ name: String) throws -> String {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = try TestFiles.write(bytes, name, in: directory)
        do {
            let cloud = try PointCloudFile.read(url)
            return "read \(cloud.count) points"
        } catch let error as FileError {
            #expect(error.path == url.path)
            return error.problem
        }
    }

    static let plyHeader = "ply\nformat ascii 1.0\nelement vertex 2\nproperty float x\nproperty float y\nproperty float z\nend_header\n"

    @Test func plyProblems() throws {
        #expect(try problem("", "a.ply") == "empty file")
        #expect(try problem("plx\n", "a.ply").contains("not a PLY file"))
        #expect(try problem("ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\n", "a.ply").contains("no 'end_header'"))
        #expect(try problem("ply\nformat binary_middle_endian 1.0\nend_header\n", "a.ply").contains("unknown format"))
        #expect(try problem(Self.plyHeader.replacingOccurrences(of: "float y", with: "float128 y"), "a.ply").contains("unknown property type 'float128'"))
        #expect(try problem(Self.plyHeader.replacingOccurrences(of: "float y", with: "list float int y"), "a.ply").contains("not an integer type"))
        #expect(try problem(Self.plyHeader.replacingOccurrences(of: "vertex 2", with: "vertex -2"), "a.ply").contains("invalid count"))
        #expect(try problem(Self.plyHeader.replacingOccurrences(of: "float z", with: "float w") + "1 2 3 4 5 6", "a.ply").contains("no x, y, z"))
        #expect(try problem(Self.plyHeader + "1 2 3\n40 50\n", "a.ply").contains("ends early"))
        #expect(try problem(Self.plyHeader + "1 2 3\n4 5\n", "a.ply").contains("declares 2 rows of 3 values"))
        #expect(try problem(Self.plyHeader + "1 2 3\n4 5 6\n7 8 9\n", "a.ply").contains("unexpected data '7'"))
        #expect(try problem(Self.plyHeader + "1 2 3\n4 five 6\n", "a.ply").contains("'five' is not a number"))
        #expect(try problem(Self.plyHeader + "1 2 3\n4 nan 6\n", "a.ply").contains("vertex 1 has a non-finite coordinate"))
        #expect(try problem(Self.plyHeader.replacingOccurrences(of: "vertex 2", with: "vertex 0"), "a.ply").contains("no points"))
    }

    @Test func giganticDeclaredCountsAllocateNothing() throws {
        // Each would need terabytes if trusted; the check against the bytes present comes first.
        for count in ["99999999999999", "9223372036854775807"] {
            let ascii = Self.plyHeader.replacingOccurrences(of: "vertex 2", with: "vertex \(count)") + "1 2 3\n"
            #expect(try problem(ascii, "a.ply").contains("declares \(count) rows"))
            let binary = ascii.replacingOccurrences(of: "ascii", with: "binary_little_endian")
            #expect(try problem(binary, "a.ply").contains("declares \(count) rows"))
            let pcd = "FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nWIDTH \(count)\nHEIGHT 1\nPOINTS \(count)\nDATA binary\n0123456789AB"
            let message = try problem(pcd, "a.pcd")
            #expect(message.contains("truncated") || message.contains("overflows"), "\(message)")
        }
        let listBomb = "ply\nformat binary_little_endian 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\n"
            + "property list uint int big\nend_header\n"
        var bytes = Array(listBomb.utf8) + [UInt8](repeating: 0, count: 12) + [0xFF, 0xFF, 0xFF, 0x7F]
        #expect(try problem(bytes, "a.ply").contains("cut off at property 'big'"))
        bytes = Array("FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nWIDTH 1000000\nPOINTS 1000000\nDATA binary_compressed\n".utf8)
        bytes += [10, 0, 0, 0] + [0x00, 0x09, 0x3D, 0x00] + [UInt8](repeating: 0, count: 10)
        #expect(try problem(bytes, "a.pcd").contains("unpacks to 4000000 bytes"))
        bytes.replaceSubrange((bytes.count - 14)..<(bytes.count - 10), with: [0x00, 0x1B, 0xB7, 0x00])  // 12,000,000
        #expect(try problem(bytes, "a.pcd").contains("impossible for LZF"))
    }

    @Test func binaryTruncationAndTrailingBytes() throws {
        let header = Self.plyHeader.replacingOccurrences(of: "ascii", with: "binary_big_endian")
        #expect(try problem(Array(header.utf8) + [UInt8](repeating: 0x3F, count: 23), "a.ply").contains("declares 2 rows of at least 12 bytes"))
        #expect(try problem(Array(header.utf8) + [UInt8](repeating: 0x3F, count: 25), "a.ply").contains("1 unexpected bytes"))
        #expect(try problem(Array(header.utf8) + [UInt8](repeating: 0x3F, count: 24), "a.ply") == "read 2 points")
        #expect(try problem(Array(header.utf8) + [UInt8](repeating: 0x3F, count: 24) + [0x0D, 0x0A], "a.ply") == "read 2 points")
        #expect(try problem(Array(header.utf8) + [UInt8](repeating: 0x3F, count: 24) + [0x0A, 0x0A, 0x0A], "a.ply").contains("3 unexpected bytes"))
    }

    @Test func pcdProblems() throws {
        let good = "FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nCOUNT 1 1 1\nWIDTH 2\nHEIGHT 1\nPOINTS 2\nDATA ascii\n"
        #expect(try problem(good + "1 2 3\n4 5 6\n", "a.pcd") == "read 2 points")
        #expect(try problem(good.replacingOccurrences(of: "SIZE 4 4 4", with: "SIZE 4 4"), "a.pcd").contains("differ in length"))
        #expect(try problem(good.replacingOccurrences(of: "TYPE F F F", with: "TYPE F F Q"), "a.pcd").contains("unsupported TYPE Q"))
        #expect(try problem(good.replacingOccurrences(of: "SIZE 4 4 4", with: "SIZE 4 4 2"), "a.pcd").contains("unsupported TYPE F with SIZE 2"))
        #expect(try problem(good.replacingOccurrences(of: "POINTS 2", with: "POINTS 3"), "a.pcd").contains("POINTS 3 ≠ WIDTH 2"))
        #expect(try problem(good.replacingOccurrences(of: "DATA ascii", with: "DATA zip"), "a.pcd").contains("unknown DATA encoding"))
        #expect(try problem(good.replacingOccurrences(of: "DATA ascii\n", with: ""), "a.pcd").contains("no DATA line"))
        #expect(try problem(good + "1 2 3\n40 50\n", "a.pcd").contains("ends early"))
        #expect(try problem(good + "1 2 3\n4 5\n", "a.pcd").contains("cannot fit"))
        #expect(try problem(good + "1 2 3\n4 5 inf\n", "a.pcd").contains("point 1 has a non-finite coordinate"))
        #expect(try problem(good.replacingOccurrences(of: "ascii", with: "binary") + "short", "a.pcd").contains("truncated"))
        var compressed = Array(good.replacingOccurrences(of: "ascii", with: "binary_compressed").utf8)
        compressed += [4, 0, 0, 0, 24, 0, 0, 0, 0xE0, 0xFF, 0xFF, 0xFF]
        #expect(try problem(compressed, "a.pcd").contains("corrupt"))
        #expect(try problem(good.replacingOccurrences(of: "WIDTH 2\nHEIGHT 1\nPOINTS 2", with: "WIDTH 0\nHEIGHT 1\nPOINTS 0"), "a.pcd").contains("no points"))
    }

    @Test func textProblems() throws {
        #expect(try problem("", "gt.txt") == "empty file")
        #expect(try problem("\n\n", "gt.txt") == "contains no points")
        #expect(try problem("1 2 3 0\n4 5 6\n", "gt.txt").contains("line 2: 3 columns where earlier lines have 4"))
        #expect(try problem("1,2\n", "gt.csv").contains("2 columns"))
        #expect(try problem("1 2 3 0\n4 x 6 1\n", "gt.txt").contains("line 2: 'x' is not a number"))
        #expect(try problem("1 2 3 0\nnan 5 6 1\n", "gt.txt").contains("point 1 has a non-finite coordinate"))
    }

    @Test func unknownFormatsAndMissingFiles() throws {
        #expect(try problem("hello", "a.xyzw").contains("unknown file format"))
        let missing = URL(fileURLWithPath: "/nonexistent/dir/cloud.ply")
        #expect(throws: FileError(missing.path, "no such file")) { try PointCloudFile.read(missing) }
        // A device is not a file to read to its end (Foundation called /dev/zero "permission").
        #expect(throws: FileError("/dev/zero", "is a device or socket, not a point-cloud file")) { try PointCloudFile.read(URL(fileURLWithPath: "/dev/zero")) }
    }
}
