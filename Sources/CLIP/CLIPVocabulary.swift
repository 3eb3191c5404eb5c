import Foundation
import PointADSupport

/// The real CLIP BPE vocabulary, written into model folders made by `init-model`.
///
/// Only the merges are stored (in the binary, `CLIPMergesText.swift`); `vocab.json` follows from
/// them as OpenAI's tokenizer builds it: the 256 byte symbols, the same with `</w>`, one token per
/// merge in rank order, then `<|startoftext|>` and `<|endoftext|>` (49,408 tokens). Both files are
/// byte-identical to those of Hugging Face's `openai/clip-vit-*` folders.
public enum CLIPVocabulary {
    /// Tokens in the vocabulary.
    public static let size = 49_408

    /// `merges.txt` as Hugging Face ships it.
    public static var mergesFile: Data { Data((mergesText + "\n").utf8) }

    /// The tokens in id order.
    public static func tokens() -> [String] {
        let bytes = byteSymbols()
        var tokens = bytes + bytes.map { $0 + "</w>" }
        tokens.reserveCapacity(size)
        for line in mergesText.split(separator: "\n").dropFirst() {
            tokens.append(line.split(separator: " ").joined())
        }
        tokens += ["<|startoftext|>", "<|endoftext|>"]
        return tokens
    }

    /// `vocab.json` as Hugging Face ships it: one line, `{"token": id, ...}` in id order,
    /// non-ASCII characters unescaped (Python's `json.dumps(..., ensure_ascii=False)`).
    public static func vocabularyJSON() -> Data {
        var text = "{"
        for (id, token) in tokens().enumerated() {
            if id > 0 { text += ", " }
            text += "\"\(jsonEscaped(token))\": \(id)"
        }
        text += "}"
        return Data(text.utf8)
    }

    /// Writes `vocab.json` and `merges.txt` into `directory`.
    public static func write(to directory: URL) throws {
        try AtomicFile.write(vocabularyJSON(), to: directory.appendingPathComponent("vocab.json"))
        try AtomicFile.write(mergesFile, to: directory.appendingPathComponent("merges.txt"))
    }

    /// GPT-2's reversible byte → character table: printable Latin-1 bytes stand for themselves,
    /// the others are shifted to U+0100 and up, so every token is printable text. Returned in the
    /// order the vocabulary lists them.
    static func byteSymbols() -> [String] {
        let printable = Array(33...126) + Array(161...172) + Array(174...255)
        var symbols = printable.map { String(UnicodeScalar(UInt8($0))) }
        var shifted = 0
        for byte in 0..<256 where !printable.contains(byte) {
            symbols.append(String(UnicodeScalar(UInt16(256 + shifted))!))
            shifted += 1
        }
        return symbols
    }

    private static func jsonEscaped(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
