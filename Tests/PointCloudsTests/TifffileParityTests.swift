import Foundation
import Testing
import TestSupport
@testable import PointClouds

/// xyz TIFFs written by Python's tifffile (what the MVTec 3D-AD tooling uses), in the variants it
/// can produce, read back equal to the float32 array it was given. Runs where python3 with numpy
/// and tifffile is installed.
@Suite(.enabled(if: PythonTifffile.path != nil, "python3 with numpy and tifffile not available"))
struct TifffileParityTests {

    static let script = """
    import sys, numpy as np, tifffile
    out = sys.argv[1]
    rng = np.random.default_rng(0)
    a = rng.uniform(-0.1, 0.1, (37, 23, 3)).astype(np.float32)
    a[:4] = 0; a[10, 5, 1] = np.nan; a[11, 7, 2] = 0
    a.tofile(out + "/expected.f32")
    tifffile.imwrite(out + "/plain.tiff", a)
    tifffile.imwrite(out + "/zlib.tiff", a, compression="zlib")
    tifffile.imwrite(out + "/zlib-strips.tiff", a, compression="zlib", rowsperstrip=6)
    tifffile.imwrite(out + "/big-endian.tiff", a, byteorder=">")
    tifffile.imwrite(out + "/strips.tiff", a, rowsperstrip=5)
    tifffile.imwrite(out + "/float64.tiff", a.astype(np.float64))
    tifffile.imwrite(out + "/planar.tiff", np.moveaxis(a, 2, 0), planarconfig="separate", photometric="rgb")
    """

    @Test func readsEveryVariantExactly() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PythonTifffile.path!)
        process.arguments = ["-c", Self.script, directory.path]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        let raw = try Data(contentsOf: directory.appendingPathComponent("expected.f32"))
        let expected = raw.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        for name in ["plain", "zlib", "zlib-strips", "big-endian", "strips", "float64", "planar"] {
            let image = try XYZTIFFFile.read(directory.appendingPathComponent("\(name).tiff"))
            #expect(image.width == 23 && image.height == 37, "\(name)")
            #expect(sameBits(image.values, expected), "\(name)")
        }
        // And what we write, tifffile reads as the same (H, W, 3) float32 array.
        let ours = directory.appendingPathComponent("ours.tiff")
        try XYZTIFFFile.write(XYZImage(width: 23, height: 37, values: expected), to: ours)
        let check = Process()
        check.executableURL = URL(fileURLWithPath: PythonTifffile.path!)
        check.arguments = ["-c", "import sys, numpy as np, tifffile; a = tifffile.imread(sys.argv[1]); e = np.fromfile(sys.argv[2], np.float32).reshape(37, 23, 3); "
            + "sys.exit(0 if a.dtype == np.float32 and a.shape == e.shape and (a.view(np.uint32) == e.view(np.uint32)).all() else 1)",
            ours.path, directory.appendingPathComponent("expected.f32").path]
        try check.run()
        check.waitUntilExit()
        #expect(check.terminationStatus == 0)
    }
}

/// A python3 that can import numpy and tifffile, if there is one.
enum PythonTifffile {
    /// The interpreter `python3` on PATH resolves to, when it can import numpy and tifffile.
    static let path: String? = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sys, numpy, tifffile; print(sys.executable)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let path = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return process.terminationStatus == 0 && !path.isEmpty ? path : nil
    }()
}
