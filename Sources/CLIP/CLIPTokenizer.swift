import Foundation
import PointADSupport

/// CLIP's byte-level BPE tokenizer, from `vocab.json` and `merges.txt`.
///
/// Text is cleaned as the reference does (Unicode NFC, runs of whitespace folded to one space,
/// ends trimmed, lower-cased), split into words by CLIP's pattern (contractions, letter runs,
/// single digits, runs of other symbols), each word's UTF-8 bytes mapped to printable characters
/// (GPT-2's byte table) with `</w>` marking its end, and merged by lowest merge rank.
/// Not done: ftfy's mojibake repair and HTML unescaping of OpenAI's reference code.
public final class CLIPTokenizer: @unchecked Sendable {
    public let vocabulary: [String: Int32]
    let ranks: [Pair: Int]
    public let startToken: Int32
    public let endToken: Int32
    private var cache: [String: [Int32]] = [:]
    private let lock = NSLock()

    struct Pair: Hashable {
        let left: String
        let right: String
    }

    public init(vocabulary: [String: Int32], merges: [(String, String)], startToken: Int32 = 49406, endToken: Int32 = 49407) {
        self.vocabulary = vocabulary
        var ranks: [Pair: Int] = [:]
        for (i, m) in merges.enumerated() where ranks[Pair(left: m.0, right: m.1)] == nil { ranks[Pair(left: m.0, right: m.1)] = i }
        self.ranks = ranks
        self.startToken = startToken
        self.endToken = endToken
    }

    /// Refuses tokenizer files that do not belong together, naming both sizes: an empty or
    /// truncated `merges.txt` (prompts would tokenize into single bytes, silently unlike CLIP's),
    /// and merges whose result has no id in `vocab.json` (those symbols would be dropped).
    static func checkAgreement(vocabulary: [String: Int32], merges: [(String, String)], vocabPath: String, mergesPath: String) throws {
        guard !merges.isEmpty else {
            throw FileError(mergesPath, "holds no BPE merges (empty or truncated) while \(vocabPath) has \(vocabulary.count) tokens; CLIP's has 48894 merges")
        }
        if let i = merges.firstIndex(where: { vocabulary[$0.0 + $0.1] == nil }) {
            let missing = merges[i].0 + merges[i].1
            throw FileError(vocabPath, "has \(vocabulary.count) tokens but \(mergesPath) has \(merges.count) merges: merge \(i + 1) ('\(merges[i].0) \(merges[i].1)') makes '\(missing)', which has no id; the files are from different tokenizers")
        }
    }

    /// Reads `vocab.json` and `merges.txt` from a model folder.
    public convenience init(directory: URL) throws {
        let vocabURL = directory.appendingPathComponent("vocab.json"), mergesURL = directory.appendingPathComponent("merges.txt")
        guard let vocabData = FileManager.default.contents(atPath: vocabURL.path) else { throw FileError(vocabURL.path, "cannot read the tokenizer vocabulary") }
        guard let json = (try? JSONSerialization.jsonObject(with: vocabData)) as? [String: Any] else {
            throw FileError(vocabURL.path, "not a JSON object mapping tokens to ids")
        }
        var vocabulary: [String: Int32] = [:]
        for (token, value) in json {
            guard let id = value as? Int, let small = Int32(exactly: id), small >= 0 else { throw FileError(vocabURL.path, "token '\(token)' has an invalid id") }
            vocabulary[token] = small
        }
        guard let mergesText = try? String(contentsOf: mergesURL, encoding: .utf8) else { throw FileError(mergesURL.path, "cannot read the BPE merges") }
        var merges: [(String, String)] = []
        for (n, line) in mergesText.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("#version") || line.isEmpty { continue }
            let parts = line.split(separator: " ")
            guard parts.count == 2 else { throw FileError(mergesURL.path, "line \(n + 1): expected two symbols separated by a space") }
            merges.append((String(parts[0]), String(parts[1])))
        }
        guard let start = vocabulary["<|startoftext|>"], let end = vocabulary["<|endoftext|>"] else {
            throw FileError(vocabURL.path, "the vocabulary lacks <|startoftext|> or <|endoftext|>")
        }
        try Self.checkAgreement(vocabulary: vocabulary, merges: merges, vocabPath: vocabURL.path, mergesPath: mergesURL.path)
        self.init(vocabulary: vocabulary, merges: merges, startToken: start, endToken: end)
    }

    /// OpenAI's CLIP vocabulary and merges, compiled in (`CLIPVocabulary`): for checkpoints that
    /// come without tokenizer files, such as OpenAI's `.pt`.
    public static func openAI() -> CLIPTokenizer {
        let tokens = CLIPVocabulary.tokens()
        var vocabulary: [String: Int32] = [:]
        vocabulary.reserveCapacity(tokens.count)
        for (id, token) in tokens.enumerated() { vocabulary[token] = Int32(id) }
        let merges = CLIPVocabulary.mergesText.split(separator: "\n").dropFirst().map { line in
            let parts = line.split(separator: " ")
            return (String(parts[0]), String(parts[1]))
        }
        return CLIPTokenizer(vocabulary: vocabulary, merges: merges,
                             startToken: vocabulary["<|startoftext|>"]!, endToken: vocabulary["<|endoftext|>"]!)
    }

    /// Text ids without start/end tokens and without truncation.
    public func encodeWithoutSpecialTokens(_ text: String) -> [Int32] {
        var ids: [Int32] = []
        for word in Self.words(in: Self.clean(text)) {
            if word == "<|startoftext|>" { ids.append(startToken); continue }
            if word == "<|endoftext|>" { ids.append(endToken); continue }
            ids += bpe(word)
        }
        return ids
    }

    /// `[start] + ids + [end]`, truncated to `contextLength` keeping the end token.
    public func encode(_ text: String, contextLength: Int = 77) -> [Int32] {
        let body = encodeWithoutSpecialTokens(text)
        return [startToken] + body.prefix(max(contextLength - 2, 0)) + [endToken]
    }

    /// `encode` padded to `contextLength` with `padding` (Hugging Face pads with the end token,
    /// OpenAI's and the AnomalyCLIP code with 0; pooling uses the first end token either way).
    public func encodePadded(_ text: String, contextLength: Int = 77, padding: Int32? = nil) -> [Int32] {
        let ids = encode(text, contextLength: contextLength)
        return ids + [Int32](repeating: padding ?? endToken, count: contextLength - ids.count)
    }

    /// NFC, whitespace runs → one space, trimmed, lower-cased.
    static func clean(_ text: String) -> String {
        let nfc = text.precomposedStringWithCanonicalMapping
        var out = "", pendingSpace = false
        for scalar in nfc.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = true
                continue
            }
            if pendingSpace && !out.isEmpty { out.unicodeScalars.append(" ") }
            pendingSpace = false
            out.unicodeScalars.append(scalar)
        }
        return out.lowercased()
    }

    /// CLIP's pre-tokenising pattern, scanned over Unicode scalars:
    /// `<|startoftext|>|<|endoftext|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+`.
    static func words(in text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var words: [String] = []
        var i = 0
        func hasPrefix(_ literal: String, at index: Int) -> Bool {
            let l = Array(literal.unicodeScalars)
            guard index + l.count <= scalars.count else { return false }
            return (0..<l.count).allSatisfy { scalars[index + $0] == l[$0] }
        }
        func emit(_ range: Range<Int>) {
            var s = ""
            s.unicodeScalars.append(contentsOf: scalars[range])
            words.append(s)
        }
        scan: while i < scalars.count {
            let c = scalars[i]
            for special in ["<|startoftext|>", "<|endoftext|>", "'s", "'t", "'re", "'ve", "'m", "'ll", "'d"] where hasPrefix(special, at: i) {
                emit(i..<(i + special.unicodeScalars.count))
                i += special.unicodeScalars.count
                continue scan
            }
            if isLetter(c) {
                var j = i + 1
                while j < scalars.count && isLetter(scalars[j]) { j += 1 }
                emit(i..<j); i = j
            } else if isNumber(c) {
                emit(i..<(i + 1)); i += 1
            } else if c.properties.isWhitespace {
                i += 1
            } else {
                var j = i + 1
                while j < scalars.count && !isLetter(scalars[j]) && !isNumber(scalars[j]) && !scalars[j].properties.isWhitespace { j += 1 }
                emit(i..<j); i = j
            }
        }
        return words
    }

    static func isLetter(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: true
        default: false
        }
    }

    static func isNumber(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: true
        default: false
        }
    }

    /// GPT-2's reversible byte → printable character table: printable Latin-1 bytes map to
    /// themselves, the others to U+0100 onwards in byte order.
    static let byteSymbols: [String] = {
        var table = [String](repeating: "", count: 256)
        var next: UInt32 = 256
        for b in 0..<256 {
            let printable = (33...126).contains(b) || (161...172).contains(b) || (174...255).contains(b)
            if printable {
                table[b] = String(Character(Unicode.Scalar(UInt32(b))!))
            } else {
                table[b] = String(Character(Unicode.Scalar(next)!))
                next += 1
            }
        }
        return table
    }()

    /// BPE of one word (cached). Symbols absent from the vocabulary are skipped, which cannot
    /// happen with CLIP's vocabulary (every byte symbol is in it).
    func bpe(_ word: String) -> [Int32] {
        lock.lock()
        if let hit = cache[word] { lock.unlock(); return hit }
        lock.unlock()
        var symbols = Array(word.utf8).map { Self.byteSymbols[Int($0)] }
        guard !symbols.isEmpty else { return [] }
        symbols[symbols.count - 1] += "</w>"
        while symbols.count > 1 {
            var best: (rank: Int, pair: Pair)?
            for k in 0..<(symbols.count - 1) {
                let pair = Pair(left: symbols[k], right: symbols[k + 1])
                if let r = ranks[pair], r < (best?.rank ?? Int.max) { best = (r, pair) }
            }
            guard let best else { break }
            var merged: [String] = []
            var k = 0
            while k < symbols.count {
                if k + 1 < symbols.count && symbols[k] == best.pair.left && symbols[k + 1] == best.pair.right {
                    merged.append(best.pair.left + best.pair.right)
                    k += 2
                } else {
                    merged.append(symbols[k])
                    k += 1
                }
            }
            symbols = merged
        }
        let ids = symbols.compactMap { vocabulary[$0] }
        lock.lock()
        cache[word] = ids
        lock.unlock()
        return ids
    }
}
