import CLIP
import Foundation
import TensorCore
import Testing
import TestSupport

/// The prompts file round-trips, imports the authors' layouts, and refuses another model's width.
@Suite("prompts file and importer")
struct PromptsFileTests {
    static func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        return "no error"
    }

    @Test("round trip with metadata and extra tensors")
    func roundTrip() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let prompts = PromptSet.random(contextLength: 5, width: 8, depth: 4, deepLength: 2, seed: 3)
        let url = dir.appendingPathComponent("p.safetensors")
        try PromptsFile.write(prompts, to: url, metadata: ["class": "cookie"], extraTensors: ["adam.step": Tensor(shape: [1], repeating: 3)])
        let back = try PromptsFile.read(url, width: 8)
        #expect(back.contextLength == 5 && back.depth == 4 && back.deepLength == 2 && back.width == 8)
        for (a, b) in zip(prompts.contexts + prompts.deepTokens, back.contexts + back.deepTokens) { #expect(a.toArray() == b.toArray()) }
        let file = try SafetensorsFile(contentsOf: url)
        #expect(file.metadata["format"] == "pointad-prompts" && file.metadata["class"] == "cookie" && file.metadata["depth"] == "4")
    }

    @Test("the authors' shapes: [1, 1, n_ctx, width] contexts under prompt_learner.")
    func authorsLayout() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var writer = SafetensorsWriter()
        let pos = try Tensor(shape: [1, 1, 3, 4], values: randomFloats(12, seed: 1))
        try writer.add("prompt_learner.ctx_pos", pos)
        try writer.add("prompt_learner.ctx_neg", Tensor(shape: [1, 1, 3, 4], repeating: 2))
        try writer.add("prompt_learner.compound_prompts_text.0", Tensor(shape: [2, 4], repeating: 1))
        try writer.add("prompt_learner.compound_prompt_projections.0.weight", Tensor(zeros: [5, 4]))
        let url = dir.appendingPathComponent("a.safetensors")
        try writer.write(to: url)
        let p = try PromptsFile.read(url)
        #expect(p.ctxPos.shape == [3, 4] && p.ctxPos.toArray() == pos.toArray())
        #expect(p.ctxNeg.toArray() == [Float](repeating: 2, count: 12))
        #expect(p.depth == 2 && p.deepLength == 2)
        let m = Self.message { _ = try PromptsFile.read(url, width: 768) }
        #expect(m.contains("prompts have width 4 but the model's text width is 768") && m.contains(url.path), "\(m)")
    }

    @Test("missing context, gap in deep tokens, wrong deep shape")
    func malformed() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func write(_ tensors: [String: [Int]]) throws -> URL {
            var writer = SafetensorsWriter()
            for (name, shape) in tensors { try writer.add(name, Tensor(zeros: shape)) }
            let url = dir.appendingPathComponent("\(UUID().uuidString).safetensors")
            try writer.write(to: url)
            return url
        }
        var m = Self.message { _ = try PromptsFile.read(try write(["ctx_pos": [3, 4]])) }
        #expect(m.contains("tensor 'ctx_neg' is missing"), "\(m)")
        m = Self.message { _ = try PromptsFile.read(try write(["weights": [3, 4]])) }
        #expect(m.contains("not a prompts file"), "\(m)")
        m = Self.message { _ = try PromptsFile.read(try write(["ctx_pos": [3, 4], "ctx_neg": [3, 4], "compound_prompts_text.1": [2, 4]])) }
        #expect(m.contains("'compound_prompts_text.1' does not follow"), "\(m)")
        m = Self.message { _ = try PromptsFile.read(try write(["ctx_pos": [3, 4], "ctx_neg": [3, 4], "compound_prompts_text.0": [2, 5]])) }
        #expect(m.contains("'compound_prompts_text.0' has shape [2, 5], expected [length, 4]"), "\(m)")
        m = Self.message { _ = try PromptsFile.read(try write(["ctx_pos": [2, 3, 4], "ctx_neg": [2, 3, 4]])) }
        #expect(m.contains("'ctx_pos' has shape [2, 3, 4]"), "\(m)")
    }
}
