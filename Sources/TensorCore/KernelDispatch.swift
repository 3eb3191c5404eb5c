import CKernels

/// Which vector instruction set the C kernels (`CKernels`) chose for this processor at run time.
public enum KernelDispatch {
    /// "avx512", "avx2" or "generic".
    public static var instructionSet: String { String(cString: pointad_kernels_isa()) }
    /// For benchmark headers: the kernels' instruction set.
    public static var description: String { "attention kernel \(instructionSet)" }
}

extension KernelDispatch {
    /// The chosen instruction set as a level: 2 = AVX-512, 1 = AVX2, 0 = generic.
    public static var level: Int { Int(pointad_kernels_isa_level()) }

    /// One unmasked attention head through the fused kernel built for `level` (capped at what the
    /// processor supports), so tests can check every variant a machine runs, AVX2 included on an
    /// AVX-512 machine. `query`, `key`, `value`, `output`: [length, headSize], strided views allowed;
    /// headSize a multiple of 16.
    public static func attentionHead(query: MatrixView, key: MatrixView, value: MatrixView, into output: MatrixView,
                                     scale: Float, level: Int) throws {
        let length = query.rows, headSize = query.cols
        guard headSize % 16 == 0, [key, value, output].allSatisfy({ $0.rows == length && $0.cols == headSize }) else {
            throw TensorError.shapeMismatch(operation: "fused attention head (head size a multiple of 16)",
                                            shapes: [[query.rows, query.cols], [key.rows, key.cols], [value.rows, value.cols], [output.rows, output.cols]])
        }
        let scratch = Tensor(zeros: [pointad_attention_scratch_floats(length, headSize)])
        pointad_attention_head_isa(Int32(level), query.pointer, query.ld, key.pointer, key.ld, value.pointer, value.ld,
                                   output.pointer, output.ld, length, headSize, scale, scratch.pointer)
    }
}
