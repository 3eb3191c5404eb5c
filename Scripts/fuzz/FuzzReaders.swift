// libFuzzer entry point for the PLY, PCD and point-text readers (built by Scripts/fuzz.sh
// together with the reader sources). The first input byte picks the reader; the rest is the file.
// Any input must give a cloud or a FileError: a crash, trap or sanitizer report is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReaders(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let body = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
    do {
        switch data[0] % 3 {
        case 0: _ = try PLYReader.read(bytes: body, path: "fuzz.ply")
        case 1: _ = try PCDReader.read(bytes: body, path: "fuzz.pcd")
        default: _ = try PointTextReader.read(bytes: body, path: "fuzz.txt")
        }
    } catch is FileError {
    } catch {
        fatalError("unexpected error type: \(error)")
    }
    return 0
}
