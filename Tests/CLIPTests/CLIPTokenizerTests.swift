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
