import CLIP
import Foundation
import PointADSupport

/// Writes a state dict as `torch.save` does (PyTorch ≥ 1.6 zip format), without Python:
/// `archive/data.pkl` (see `StateDictPickle`), `archive/byteorder` ("little"),
/// `archive/data/<n>` with each tensor's storage, and `archive/version`. Records are stored
/// uncompressed and their data start at multiples of 64 bytes (padded with an extra field, as
/// torch pads), so readers can use the storages in place in a memory-mapped file.
///
/// Tensors are float32 or float16 (OpenAI's CLIP files are float16) and are produced one at a
/// time while streaming, so a file of gigabytes needs one tensor's worth of memory. The archive
/// is plain zip (no zip64), so it is limited to 4 GiB, which a ViT-L/14 in float32 (1.7 GB) fits.
public struct TorchCheckpointWriter {
    private struct Item {
        let name: String
        let shape: [Int]
        let dtype: TorchDType
        let generate: (UnsafeMutableBufferPointer<Float>) -> Void
        var count: Int { shape.reduce(1, *) }
    }

    /// One zip record as the central directory lists it.
    private struct Record {
        let name: [UInt8]
        let crc: UInt32
        let size: Int
        let headerOffset: Int
    }

    static let alignment = 64
    /// The zip32 limit on sizes and offsets.
    static let maximumOffset = Int(UInt32.max) - 1

    /// The folder name inside the archive (torch uses the file's stem; any name loads).
    public let archiveName: String
    private var items: [Item] = []
    private var seen: Set<String> = []

    public init(archiveName: String = "archive") { self.archiveName = archiveName }

    public var names: [String] { items.map(\.name) }

    /// Adds a tensor whose float32 values `generate` writes into the buffer it is given when the
    /// file is written; they are stored as `dtype` (float32, or float16 rounded to nearest even).
    public mutating func add(_ name: String, shape: [Int], dtype: TorchDType = .float32,
                             generate: @escaping (UnsafeMutableBufferPointer<Float>) -> Void) throws {
        guard dtype == .float32 || dtype == .float16 else {
            throw UsageError("checkpoint tensor '\(name)': only float32 and float16 storages are written, not \(dtype.displayName)")
        }
        guard !name.isEmpty, !seen.contains(name) else { throw UsageError("checkpoint tensor '\(name)' is empty or added twice") }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw UsageError("checkpoint tensor '\(name)': negative dimension in \(shape)") }
        seen.insert(name)
        items.append(Item(name: name, shape: shape, dtype: dtype, generate: generate))
    }

    /// Writes the archive atomically (temporary file, then rename), reporting progress by tensor.
    public func write(to url: URL, progress: ProgressReporter? = nil) throws {
        let pickle = StateDictPickle.bytes(items.enumerated().map { index, item in
            StateDictPickle.Record(name: item.name, dtype: item.dtype, shape: item.shape, storageKey: String(index))
        })
        try AtomicFile.write(to: url) { stream in
            var zip = ZipStream(stream: stream, path: url.path)
            try pickle.withUnsafeBytes { try zip.add("\(archiveName)/data.pkl", $0) }
            try Array("little".utf8).withUnsafeBytes { try zip.add("\(archiveName)/byteorder", $0) }
            var scratch: [Float] = [], half: [Float16] = []
            for (index, item) in items.enumerated() {
                let count = item.count
                if scratch.count < count { scratch = [Float](repeating: 0, count: count) }
                try scratch.withUnsafeMutableBufferPointer { buffer in
                    let values = UnsafeMutableBufferPointer(rebasing: buffer[0..<count])
                    item.generate(values)
                    let record = "\(archiveName)/data/\(index)"
                    if item.dtype == .float32 {
                        try zip.add(record, UnsafeRawBufferPointer(values))
                    } else {
                        if half.count < count { half = [Float16](repeating: 0, count: count) }
                        try half.withUnsafeMutableBufferPointer { h in
                            for i in 0..<count { h[i] = Float16(values[i]) }
                            try zip.add(record, UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(h)[0..<(2 * count)]))
                        }
                    }
                }
                progress?.advance()
            }
            try Array("3\n".utf8).withUnsafeBytes { try zip.add("\(archiveName)/version", $0) }
            try zip.finish()
        }
    }

    /// Appends stored zip records to the stream and ends it with the central directory.
    private struct ZipStream {
        let stream: AtomicFileStream
        let path: String
        var offset = 0
        var records: [Record] = []

        /// DOS date 1980-01-01, time 00:00 (zip has no earlier date; the value is not used).
        static let dosDate: UInt16 = 0x21

        mutating func add(_ name: String, _ data: UnsafeRawBufferPointer) throws {
            let nameBytes = Array(name.utf8)
            // The extra field (id "FB", as torch writes) pads the data to the alignment.
            let beforeData = offset + 30 + nameBytes.count + 4
            let padding = (TorchCheckpointWriter.alignment - beforeData % TorchCheckpointWriter.alignment) % TorchCheckpointWriter.alignment
            guard beforeData + padding + data.count <= TorchCheckpointWriter.maximumOffset, records.count < 0xFFFF else {
                throw FileError(path, "the checkpoint would exceed 4 GiB or 65,535 records, which needs zip64 (not written)")
            }
            let crc = CRC32.checksum(data)
            var header = Bytes()
            header.u32(0x0403_4B50)
            header.u16(20); header.u16(0); header.u16(0)              // version needed, flags, method (stored)
            header.u16(0); header.u16(Self.dosDate)                   // time, date
            header.u32(crc); header.u32(UInt32(data.count)); header.u32(UInt32(data.count))
            header.u16(UInt16(nameBytes.count)); header.u16(UInt16(4 + padding))
            header.bytes += nameBytes
            header.u16(0x4246); header.u16(UInt16(padding))
            header.bytes += [UInt8](repeating: 0, count: padding)
            try header.bytes.withUnsafeBytes { try stream.write($0) }
            try stream.write(data)
            records.append(Record(name: nameBytes, crc: crc, size: data.count, headerOffset: offset))
            offset += header.bytes.count + data.count
        }

        mutating func finish() throws {
            var directory = Bytes()
            for r in records {
                directory.u32(0x0201_4B50)
                directory.u16(20); directory.u16(20); directory.u16(0); directory.u16(0)  // made by, needed, flags, method
                directory.u16(0); directory.u16(Self.dosDate)
                directory.u32(r.crc); directory.u32(UInt32(r.size)); directory.u32(UInt32(r.size))
                directory.u16(UInt16(r.name.count)); directory.u16(0); directory.u16(0)   // name, extra, comment lengths
                directory.u16(0); directory.u16(0); directory.u32(0)                      // disk, internal, external attributes
                directory.u32(UInt32(r.headerOffset))
                directory.bytes += r.name
            }
            guard offset + directory.bytes.count <= TorchCheckpointWriter.maximumOffset else {
                throw FileError(path, "the checkpoint would exceed 4 GiB, which needs zip64 (not written)")
            }
            var end = Bytes()
            end.u32(0x0605_4B50)
            end.u16(0); end.u16(0)                                    // this disk, directory's disk
            end.u16(UInt16(records.count)); end.u16(UInt16(records.count))
            end.u32(UInt32(directory.bytes.count)); end.u32(UInt32(offset))
            end.u16(0)                                                // comment length
            try (directory.bytes + end.bytes).withUnsafeBytes { try stream.write($0) }
        }
    }

    /// Little-endian byte building for the zip headers.
    private struct Bytes {
        var bytes: [UInt8] = []
        mutating func u16(_ v: UInt16) { bytes += [UInt8(v & 0xFF), UInt8(v >> 8)] }
        mutating func u32(_ v: UInt32) { for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) } }
    }
}
