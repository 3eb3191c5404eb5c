// libFuzzer entry point for pointad's file readers (built by Scripts/fuzz.sh together with the
// reader sources). The first input byte picks the reader (`selector % 9`); the rest is the file:
//   0 PLY   1 PCD   2 point text (header or guessed layout)   3 OBJ   4 STL   5 OFF   6 .npy
//   7 point text read with `--columns`: the first line is the spec, the rest the file
//   8 PyTorch checkpoint: a zip (torch.save) whose <name>/data.pkl is unpickled, or a bare pickle
// Any input must give a result or a FileError (UsageError for a bad `--columns` spec): a crash,
// trap or sanitizer report is a bug. Tests/PointCloudsTests/FuzzRegressionTests.swift and
// Tests/CLIPTests/CheckpointFuzzRegressionTests.swift replay Fixtures/fuzz with the same selectors.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReaders(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let body = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
    do {
        switch data[0] % 9 {
        case 0: _ = try PLYReader.read(bytes: body, path: "fuzz.ply")
        case 1: _ = try PCDReader.read(bytes: body, path: "fuzz.pcd")
        case 2: _ = try PointTextReader.read(bytes: body, path: "fuzz.txt")
        case 3: _ = try OBJReader.read(bytes: body, path: "fuzz.obj")
        case 4: _ = try STLReader.read(bytes: body, path: "fuzz.stl")
        case 5: _ = try OFFReader.read(bytes: body, path: "fuzz.off")
        case 6: _ = try NPYPointReader.read(data: Data(body), path: "fuzz.npy")
        case 7:
            let newline = body.firstIndex(of: UInt8(ascii: "\n")) ?? body.count
            let spec = try ColumnSpec(parsing: String(decoding: body[..<newline], as: UTF8.self))
            _ = try PointTextReader.read(bytes: UnsafeRawBufferPointer(rebasing: body[min(body.count, newline + 1)...]), path: "fuzz.txt", columns: spec)
        default: try fuzzCheckpoint(body)
        }
    } catch is FileError {
    } catch is UsageError {
    } catch {
        fatalError("unexpected error type: \(error)")
    }
    return 0
}

/// What `TorchCheckpoint.init` does before it maps tensors: the zip's central directory, the one
/// `<name>/data.pkl`, the restricted unpickler. Bytes not starting "PK" are unpickled directly.
func fuzzCheckpoint(_ body: UnsafeRawBufferPointer) throws {
    guard let base = body.baseAddress else { throw FileError("fuzz.pt", "empty file") }
    guard body.count >= 4, body[0] == 0x50, body[1] == 0x4B else {
        var unpickler = RestrictedUnpickler(body, path: "fuzz.pt", entryName: "data.pkl")
        _ = try unpickler.load()
        return
    }
    let zip = try ZipDirectory(bytes: base, count: body.count, path: "fuzz.pt")
    for entry in zip.entries where entry.name.hasSuffix("data.pkl") {
        let range = try zip.dataRange(entry)
        var unpickler = RestrictedUnpickler(UnsafeRawBufferPointer(rebasing: body[range]), path: "fuzz.pt", entryName: entry.name)
        _ = try unpickler.load()
    }
}
