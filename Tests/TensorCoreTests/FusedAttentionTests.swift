import Testing
import TensorCore
import TestSupport

/// The fused attention kernel in every instruction-set variant this processor can run (AVX-512,
/// AVX2, generic), against AttentionTests' double-precision reference loop; lengths that are not
/// multiples of the vector width or of the row block exercise the tails.
@Suite("fused attention kernel, each instruction set")
struct FusedAttentionTests {
    @Test("matches the reference loop", arguments: [(1, 16), (7, 16), (33, 64), (50, 32), (130, 64)])
    func variants(_ c: (Int, Int)) throws {
        let (length, headSize) = c
        let ld = headSize + 5
        let q = randomFloats(length * ld, seed: 31, scale: 2), k = randomFloats(length * ld, seed: 32, scale: 2), v = randomFloats(length * ld, seed: 33)
        // The reference reads dense [length, headSize] rows: take the first headSize of each strided row.
        func dense(_ x: [Float]) -> [Float] { (0..<length).flatMap { r in x[(r * ld)..<(r * ld + headSize)] } }
        let expected = AttentionTests.reference(q: dense(q), k: dense(k), v: dense(v), sequences: 1, length: length, heads: 1,
                                                width: headSize, scale: 0.3, causal: false)
        let qt = try Tensor(shape: [length, ld], values: q), kt = try Tensor(shape: [length, ld], values: k), vt = try Tensor(shape: [length, ld], values: v)
        let view = { (t: Tensor) in MatrixView(t.pointer, rows: length, cols: headSize, ld: ld) }
        for level in 0...KernelDispatch.level {
            let out = Tensor(shape: [length, ld], repeating: 7)
            try KernelDispatch.attentionHead(query: view(qt), key: view(kt), value: view(vt), into: view(out), scale: 0.3, level: level)
            #expect(maxAbsoluteError(dense(out.toArray()), expected) < 2e-6, "level \(level)")
            #expect((0..<length).allSatisfy { r in (headSize..<ld).allSatisfy { out.pointer[r * ld + $0] == 7 } }, "level \(level): wrote outside the head")
        }
    }

    @Test("this x86-64 build picks AVX-512 or AVX2 (the build targets x86-64-v3)")
    func dispatch() {
        #if arch(x86_64)
        #expect(KernelDispatch.level >= 1)
        #expect(["avx512", "avx2"].contains(KernelDispatch.instructionSet))
        #else
        #expect(KernelDispatch.instructionSet == "generic")
        #endif
    }
}
