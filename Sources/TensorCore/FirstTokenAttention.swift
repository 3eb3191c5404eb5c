import COpenBLAS

extension Attention {
    /// Multi-head attention for the first token of each sequence only (the class token), against
    /// all `length` keys and values of its sequence: for sequence b and head h,
    ///   output[b, h] = softmax_j(scale · q[b, h] · k[b·length + j, h]) · v[b·length + j, h].
    /// `query` and `output` are [sequences, heads·headSize]; `key` and `value` are
    /// [sequences·length, heads·headSize]. Used where only the class token of a block's output is
    /// read (the last block of PointAD's tower), so the other queries are never computed.
    public static func firstToken(query: MatrixView, key: MatrixView, value: MatrixView, into output: MatrixView,
                                  sequences: Int, length: Int, heads: Int, scale: Float) throws {
        let width = query.cols
        guard heads > 0, width % heads == 0, key.cols == width, value.cols == width, output.cols == width,
              query.rows == sequences, output.rows == sequences, key.rows == sequences * length, value.rows == sequences * length else {
            throw TensorError.shapeMismatch(operation: "first-token attention (\(heads) heads)", shapes: [[query.rows, query.cols], [key.rows, key.cols], [value.rows, value.cols], [output.rows, output.cols]])
        }
        if sequences == 0 || length == 0 { return }
        let headSize = width / heads
        let scores = Tensor(zeros: [length])
        let s = scores.pointer
        for b in 0..<sequences {
            for h in 0..<heads {
                let column = h * headSize, row = b * length
                // scores = scale · K_h q_h (K_h is length × headSize with leading dimension key.ld).
                cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(length), Int32(headSize), scale,
                            key.pointer + row * key.ld + column, Int32(key.ld), query.pointer + b * query.ld + column, 1, 0, s, 1)
                softmaxRow(s, valid: length, count: length)
                // output_h = V_hᵀ p.
                cblas_sgemv(CblasRowMajor, CblasTrans, Int32(length), Int32(headSize), 1,
                            value.pointer + row * value.ld + column, Int32(value.ld), s, 1, 0, output.pointer + b * output.ld + column, 1)
            }
        }
    }
}
