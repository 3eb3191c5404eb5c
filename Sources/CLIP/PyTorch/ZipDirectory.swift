import PointADSupport

/// The central directory of a zip archive held in a memory-mapped file: each entry's name,
/// compression method, sizes and the offset of its data, zip64 included (PyTorch writes zip64
/// records for checkpoints over 4 GB and for some smaller ones).
///
/// Written here rather than taken from a zip library because the checkpoint reader needs the
/// absolute offset of every stored entry's bytes, to use the tensors in place in the mapping;
/// zip libraries expose entries as streams or copies. Only what torch and Python's `zipfile`
/// write is read: one disk, stored (uncompressed) entries for anything that is read. Every size
/// and offset is checked against the file, so a truncated or crafted archive gives an error,
/// never a read outside the mapping.
struct ZipDirectory {
    struct Entry: Equatable {
        let name: String
        /// 0 = stored, 8 = deflate, …
        let method: UInt16
        let compressedSize: Int
        let uncompressedSize: Int
        let localHeaderOffset: Int
    }

    let path: String
    let entries: [Entry]
    let byName: [String: Entry]
    private let bytes: UnsafeRawPointer
    private let size: Int

    init(bytes: UnsafeRawPointer, count: Int, path: String) throws {
        self.path = path
        self.bytes = bytes
        size = count
        var reader = ByteReader(bytes: bytes, count: count, path: path)
        // End of central directory: 22 bytes plus a comment of up to 65,535, at the very end.
        guard count >= 22 else { throw FileError(path, "not a zip archive (PyTorch checkpoint): \(count) bytes, too short") }
        var eocd = -1
        var at = count - 22
        let lowest = max(0, count - 22 - 65_535)
        while at >= lowest {
            if reader.u32(at) == 0x0605_4b50 { eocd = at; break }
            at -= 1
        }
        guard eocd >= 0 else {
            throw FileError(path, "not a zip archive (PyTorch checkpoint), or truncated: no end-of-central-directory record")
        }
        var total = Int(reader.u16(eocd + 10))
        var directorySize = Int(reader.u32(eocd + 12))
        var directoryOffset = Int(reader.u32(eocd + 16))
        if total == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // zip64: a locator 20 bytes before the record points at the zip64 end record.
            guard eocd >= 20, reader.u32(eocd - 20) == 0x0706_4b50 else {
                throw FileError(path, "zip64 archive without its end-of-central-directory locator")
            }
            let record = try reader.checkedOffset(reader.u64(eocd - 20 + 8), length: 56, what: "zip64 end record")
            guard reader.u32(record) == 0x0606_4b50 else { throw FileError(path, "zip64 end record has a wrong signature") }
            total = try reader.int(reader.u64(record + 32), what: "zip64 entry count")
            directorySize = try reader.int(reader.u64(record + 40), what: "zip64 directory size")
            directoryOffset = try reader.int(reader.u64(record + 48), what: "zip64 directory offset")
        }
        _ = try reader.checkedOffset(UInt64(directoryOffset), length: directorySize, what: "central directory")
        var entries: [Entry] = []
        var byName: [String: Entry] = [:]
        var p = directoryOffset
        let end = directoryOffset + directorySize
        for index in 0..<total {
            guard p + 46 <= end, reader.u32(p) == 0x0201_4b50 else {
                throw FileError(path, "central directory entry \(index) is damaged or truncated")
            }
            let flags = reader.u16(p + 8)
            let method = reader.u16(p + 10)
            var compressed = UInt64(reader.u32(p + 20)), uncompressed = UInt64(reader.u32(p + 24))
            let nameLength = Int(reader.u16(p + 28)), extraLength = Int(reader.u16(p + 30)), commentLength = Int(reader.u16(p + 32))
            var local = UInt64(reader.u32(p + 42))
            guard p + 46 + nameLength + extraLength + commentLength <= end else {
                throw FileError(path, "central directory entry \(index) runs past the directory")
            }
            guard flags & 1 == 0 else { throw FileError(path, "entry \(index) is encrypted") }
            let name = String(decoding: UnsafeRawBufferPointer(start: bytes + p + 46, count: nameLength), as: UTF8.self)
            // zip64 extra field (id 1): the 8-byte values replace those saturated at 0xFFFFFFFF, in this order.
            var e = p + 46 + nameLength
            let extraEnd = e + extraLength
            while e + 4 <= extraEnd {
                let id = reader.u16(e), length = Int(reader.u16(e + 2))
                guard e + 4 + length <= extraEnd else { throw FileError(path, "entry '\(name)': extra field runs past its end") }
                if id == 1 {
                    var q = e + 4
                    func next() throws -> UInt64 {
                        guard q + 8 <= e + 4 + length else { throw FileError(path, "entry '\(name)': zip64 field too short") }
                        defer { q += 8 }
                        return reader.u64(q)
                    }
                    if uncompressed == 0xFFFF_FFFF { uncompressed = try next() }
                    if compressed == 0xFFFF_FFFF { compressed = try next() }
                    if local == 0xFFFF_FFFF { local = try next() }
                }
                e += 4 + length
            }
            let entry = Entry(name: name, method: method,
                              compressedSize: try reader.int(compressed, what: "size of '\(name)'"),
                              uncompressedSize: try reader.int(uncompressed, what: "size of '\(name)'"),
                              localHeaderOffset: try reader.int(local, what: "offset of '\(name)'"))
            entries.append(entry)
            byName[name] = entry
            p += 46 + nameLength + extraLength + commentLength
        }
        self.entries = entries
        self.byName = byName
    }

    /// The byte range of a stored entry's data in the file, checked to lie inside it.
    func dataRange(_ entry: Entry) throws -> Range<Int> {
        guard entry.method == 0 else {
            throw FileError(path, "entry '\(entry.name)' is compressed (method \(entry.method)); only stored entries are read, as torch.save writes them")
        }
        guard entry.compressedSize == entry.uncompressedSize else {
            throw FileError(path, "entry '\(entry.name)': stored sizes disagree (\(entry.compressedSize) vs \(entry.uncompressedSize))")
        }
        let reader = ByteReader(bytes: bytes, count: size, path: path)
        let header = try reader.checkedOffset(UInt64(entry.localHeaderOffset), length: 30, what: "local header of '\(entry.name)'")
        guard reader.u32(header) == 0x0403_4b50 else { throw FileError(path, "entry '\(entry.name)': local header has a wrong signature") }
        let start = header + 30 + Int(reader.u16(header + 26)) + Int(reader.u16(header + 28))
        let begin = try reader.checkedOffset(UInt64(start), length: entry.uncompressedSize,
                                             what: "data of '\(entry.name)' (\(entry.uncompressedSize) bytes; the archive is truncated)")
        return begin..<(begin + entry.uncompressedSize)
    }
}

/// Little-endian reads at checked offsets of a mapped file.
private struct ByteReader {
    let bytes: UnsafeRawPointer
    let count: Int
    let path: String

    func u16(_ at: Int) -> UInt16 { UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt16.self)) }
    func u32(_ at: Int) -> UInt32 { UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
    func u64(_ at: Int) -> UInt64 { UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }

    func int(_ value: UInt64, what: String) throws -> Int {
        guard value <= UInt64(count) else { throw FileError(path, "\(what) \(value) exceeds the file's \(count) bytes (truncated or damaged archive)") }
        return Int(value)
    }

    /// `offset` as an Int when `offset + length` lies inside the file.
    func checkedOffset(_ offset: UInt64, length: Int, what: String) throws -> Int {
        guard length >= 0, offset <= UInt64(count), UInt64(length) <= UInt64(count) - offset else {
            throw FileError(path, "\(what) lies outside the file (offset \(offset), \(count) bytes in the file)")
        }
        return Int(offset)
    }
}
