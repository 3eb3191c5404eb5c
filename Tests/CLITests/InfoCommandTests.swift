import Foundation
import Testing
import TestSupport

/// `pointad info FILE --json` on a file the test writes: counts and bounds as JSON.
@Suite struct InfoCommandTests {
    func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let r = try runPointad(arguments)
        return (r.status, r.stdout, r.stderr)
    }

    @Test func jsonReportsPointsAndBounds() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("three.ply")
        let text = "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nproperty float quality\nend_header\n"
            + "1 -2 3 0\n-4 5 0.5 1\n0 0 -6 2\n"
        try Data(text.utf8).write(to: url)
        let result = try run(["info", url.path, "--json"])
        #expect(result.status == 0, "\(result.error)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(object["points"] as? Int == 3)
        #expect(object["bbox_min"] as? [Double] == [-4, -2, -6])
        #expect(object["bbox_max"] as? [Double] == [1, 5, 3])
        #expect(object["scalars"] as? [String] == ["quality"])
    }

    @Test func aDeviceIsNamedAsSuchNotAsPermission() throws {
        let result = try run(["info", "/dev/zero"])
        #expect(result.status != 0)
        #expect(result.error.contains("/dev/zero: is a device") && !result.error.contains("permission"))
    }

    @Test func badFileIsOneLineNamingIt() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("bad.pcd")
        try Data("FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nPOINTS 5\nDATA binary\n".utf8).write(to: url)
        let result = try run(["info", url.path])
        #expect(result.status != 0)
        #expect(result.error.contains(url.path) && result.error.contains("truncated"))
    }

    /// Without a file: the compute setup, with the OpenBLAS kernel the library reports and a
    /// warning exactly when the library's check gives one for this machine.
    @Test func withoutAFileDescribesTheMachine() throws {
        let result = try run(["info", "--json"])
        #expect(result.status == 0, "\(result.error)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let kernel = try #require(object["openblas_kernel"] as? String)
        #expect(!kernel.isEmpty && (object["openblas"] as? String)?.contains("OpenBLAS") == true)
        let text = try run(["info"])
        #expect(text.status == 0 && text.output.contains("OpenBLAS kernel:") && text.output.contains("processor:"))
        // The warning is printed exactly when the kernel is an SSE-class fallback on an AVX2+ processor (this machine's flags).
        let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?.split(separator: "\n").first { $0.hasPrefix("flags") } ?? ""
        let sseKernel = ["Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom", "Katmai"].contains { kernel.lowercased().hasPrefix($0.lowercased()) }
        let wide = flags.split(separator: " ").contains("avx2") && flags.split(separator: " ").contains("fma")
        #expect((object["blas_warning"] is String) == (sseKernel && wide), "\(kernel) \(object["blas_warning"] ?? "none")")
        #expect(text.output.contains("OPENBLAS_CORETYPE=") == (sseKernel && wide) || kernel.contains("OPENBLAS_CORETYPE"))
    }
}
