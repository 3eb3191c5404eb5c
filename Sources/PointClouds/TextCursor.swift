import Foundation
import PointADSupport

/// A forward cursor over the bytes of a text section (ASCII PLY/PCD data, ground-truth text):
/// whitespace-separated tokens and lines, without copying.
struct TextCursor {
    let base: UnsafePointer<UInt8>
    let end: Int
    var position: Int

    init(_ base: UnsafePointer<UInt8>, start: Int, end: Int) {
        self.base = base
        self.position = start
        self.end = end
    }

    /// A cursor over a whole text file's bytes (OBJ, OFF); an empty file is an error naming it.
    init(wholeFile bytes: UnsafeRawBufferPointer, path: String) throws {
        guard let raw = bytes.baseAddress, !bytes.isEmpty else { throw FileError(path, "empty file") }
        self.init(raw.assumingMemoryBound(to: UInt8.self), start: 0, end: bytes.count)
    }

    @inline(__always)
    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }

    /// The next whitespace-separated token as (start, length), or nil at the end.
    @inline(__always)
    mutating func nextToken() -> (start: Int, length: Int)? {
        var p = position
        while p < end && Self.isSpace(base[p]) { p &+= 1 }
        guard p < end else { position = p; return nil }
        let start = p
        while p < end && !Self.isSpace(base[p]) { p &+= 1 }
        position = p
        return (start, p &- start)
    }

    /// Skips spaces and tabs only (not line breaks).
    @inline(__always)
    mutating func skipBlanks() {
        while position < end && (base[position] == 0x20 || base[position] == 0x09) { position &+= 1 }
    }

    /// Whether only whitespace remains.
    func atEndIgnoringWhitespace() -> Bool {
        var p = position
        while p < end && Self.isSpace(base[p]) { p &+= 1 }
        return p == end
    }

    /// 1-based line number of a byte offset, for error messages (counts newlines: only on error paths).
    func lineNumber(at offset: Int) -> Int {
        var line = 1
        var p = 0
        let stop = min(offset, end)
        while p < stop { if base[p] == 0x0A { line += 1 }; p += 1 }
        return line
    }

    /// The token text, shortened for messages.
    func text(_ token: (start: Int, length: Int)) -> String {
        let n = min(token.length, 40)
        let s = String(decoding: UnsafeBufferPointer(start: base + token.start, count: n), as: UTF8.self)
        return token.length > 40 ? s + "…" : s
    }
}

extension TextCursor {
    /// The next line that holds something besides blanks and a `#` comment, as a cursor over the
    /// bytes before the comment; nil at the end. `lineNumber` counts every line passed (1-based).
    mutating func nextContentLine(lineNumber: inout Int) -> TextCursor? {
        while position < end {
            let start = position
            var stop = start
            while stop < end && base[stop] != 0x0A { stop &+= 1 }
            position = stop < end ? stop &+ 1 : stop
            lineNumber &+= 1
            var contentEnd = start
            while contentEnd < stop && base[contentEnd] != 0x23 { contentEnd &+= 1 }
            var line = TextCursor(base, start: start, end: contentEnd)
            if !line.atEndIgnoringWhitespace() {
                line.position = start
                return line
            }
        }
        return nil
    }

    /// The next token as a string (keywords, OFF magic), or nil at the end.
    mutating func nextWord() -> String? {
        guard let token = nextToken() else { return nil }
        return String(decoding: UnsafeBufferPointer(start: base + token.start, count: token.length), as: UTF8.self)
    }
}
