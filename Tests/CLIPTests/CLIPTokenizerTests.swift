import CLIP
import Foundation
import Testing
import TestSupport

/// Token ids must equal the reference tokenizer's exactly (Fixtures/clip-tiny/tokens.json):
/// cleaning, contractions, digits, punctuation runs, non-ASCII bytes, truncation at 77.
@Suite("CLIP BPE tokenizer")
struct CLIPTokenizerTests {
    struct Case: Decodable { let text: String; let ids: [Int32] }

    static let tokenizer = try! CLIPTokenizer(directory: TestPaths.fixture("clip-tiny/model"))
    static let cases: [Case] = try! JSONDecoder().decode([Case].self, from: Data(contentsOf: TestPaths.fixture("clip-tiny/tokens.json")))

    @Test("reference ids", arguments: cases.indices)
    func referenceIDs(_ index: Int) {
        let c = Self.cases[index]
        #expect(Self.tokenizer.encode(c.text) == c.ids, "\(c.text.debugDescription)")
    }

    @Test("padding to the context length")
    func padding() {
        let ids = Self.tokenizer.encodePadded("object", padding: 0)
        #expect(ids.count == 77)
        #expect(ids.prefix(3) == [49406, 14115, 49407])
        #expect(ids.dropFirst(3).allSatisfy { $0 == 0 })
        #expect(Self.tokenizer.encodePadded("object").dropFirst(2).allSatisfy { $0 == 49407 })
    }
}

/// Tokenizer files that do not belong together are refused with both sizes named (an empty
/// merges.txt used to tokenize every prompt into single bytes without a word).
@Suite struct TokenizerAgreementTests {
    static func folder(merges: String) throws -> URL {
        let dir = try TestPaths.temporaryDirectory("tokenizer-files")
        try FileManager.default.copyItem(at: TestPaths.fixture("clip-tiny/model/vocab.json"), to: dir.appendingPathComponent("vocab.json"))
        try merges.write(to: dir.appendingPathComponent("merges.txt"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test func emptyMergesAreRefused() throws {
        for text in ["", "#version: 0.2\n"] {
            let dir = try Self.folder(merges: text)
            defer { try? FileManager.default.removeItem(at: dir) }
            #expect { try CLIPTokenizer(directory: dir) } throws: {
                "\($0)".hasPrefix(dir.appendingPathComponent("merges.txt").path) && "\($0)".contains("no BPE merges") && "\($0)".contains("49408 tokens")
            }
        }
    }

    @Test func mergesFromAnotherVocabularyAreRefused() throws {
        let dir = try Self.folder(merges: "#version: 0.2\ni n\nzq xj</w>\n")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect { try CLIPTokenizer(directory: dir) } throws: {
            "\($0)".contains("has 49408 tokens") && "\($0)".contains("has 2 merges") && "\($0)".contains("'zqxj</w>'")
        }
    }

    @Test func anEmptyVocabularyIsRefused() throws {
        let dir = try Self.folder(merges: "i n\n")
        defer { try? FileManager.default.removeItem(at: dir) }
        try "{}".write(to: dir.appendingPathComponent("vocab.json"), atomically: true, encoding: .utf8)
        #expect { try CLIPTokenizer(directory: dir) } throws: { "\($0)".contains("lacks <|startoftext|>") }
    }
}
