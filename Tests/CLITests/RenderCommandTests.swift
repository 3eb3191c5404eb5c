import Foundation
import Testing
import TestSupport

/// `pointad render` end to end on a labelled plane the test writes.
@Suite struct RenderCommandTests {
    /// A 20×20 plane at z = 0 with a `label` property: 1 where x > 0.
    func writePlane(in directory: URL) throws -> URL {
        var text = "ply\nformat ascii 1.0\nelement vertex 400\nproperty float x\nproperty float y\nproperty float z\nproperty float label\nend_header\n"
        for r in 0..<20 {
            for c in 0..<20 { text += "\(Float(c) / 19 - 0.5) \(Float(r) / 19 - 0.5) 0 \(c >= 10 ? 1 : 0)\n" }
        }
        let url = directory.appendingPathComponent("plane.ply")
        try Data(text.utf8).write(to: url)
        return url
    }

    /// The safetensors header (JSON after an 8-byte little-endian length) and the int32 payload.
    func readTable(_ url: URL) throws -> (header: [String: Any], values: [Int32]) {
        let data = try Data(contentsOf: url)
        let length = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let header = try #require(try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + length))) as? [String: Any])
        let payload = data.subdata(in: (8 + length)..<data.count)
        let values = payload.withUnsafeBytes { raw in (0..<(payload.count / 4)).map { raw.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self) } }
        return (header, values)
    }

    @Test func writesViewsMasksAndCorrespondence() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = try writePlane(in: directory), out = directory.appendingPathComponent("views")
        let result = try runPointad(["render", input.path, "--out", out.path, "--montage", "4", "--threads", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        for k in 0..<9 {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("view_\(k).png").path))
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("view_\(k)_mask.png").path))
        }
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("views.png").path))
        let (header, values) = try readTable(out.appendingPathComponent("correspondence.safetensors"))
        let tensor = try #require(header["correspondence"] as? [String: Any])
        #expect(tensor["dtype"] as? String == "I32")
        #expect(tensor["shape"] as? [Int] == [9, 400, 3])
        #expect((header["__metadata__"] as? [String: String])?["grid_size"] == "336")
        #expect(values.count == 9 * 400 * 3)
        // In the head-on view (k = 2) every point of the sparse plane has its own pixel and is
        // visible, and columns grow with x.
        let base = 2 * 400 * 3
        func entry(_ i: Int, _ field: Int) -> Int32 { values[base + 3 * i + field] }
        #expect((0..<400).allSatisfy { entry($0, 2) == 1 && (0..<336).contains(entry($0, 0)) && (0..<336).contains(entry($0, 1)) })
        #expect(entry(1, 0) > entry(0, 0) && entry(20, 1) < entry(0, 1))
    }

    @Test func badArgumentsAndFilesAreOneLineErrors() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = try writePlane(in: directory)
        let unknown = try runPointad(["render", input.path, "--out", directory.path, "--view-set", "sideways"])
        #expect(unknown.status != 0 && unknown.stderr.contains("sideways"))
        let missing = directory.appendingPathComponent("missing.ply")
        let absent = try runPointad(["render", missing.path, "--out", directory.path])
        #expect(absent.status != 0 && absent.stderr.contains(missing.path))
        let tiny = try runPointad(["render", input.path, "--out", directory.path, "--size", "2"])
        #expect(tiny.status != 0 && tiny.stderr.contains("--size"))
    }
}
