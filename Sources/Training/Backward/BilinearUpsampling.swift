import TensorCore

/// Bilinear resizing of channel-last maps [H, W, C] → [outH, outW, C] with PyTorch's
/// `F.interpolate(mode='bilinear', align_corners=False)` sampling (the reference's 24² → 336²
/// similarity maps): source = (dst + 0.5)·in/out − 0.5, clamped at 0; neighbours clamped at the
/// edge. Linear, so its backward is the transposed scatter with the same weights.
public struct BilinearUpsampling: Sendable {
    public let inputHeight: Int, inputWidth: Int, outputHeight: Int, outputWidth: Int

    /// Per output coordinate: the two source indices and their weights.
    struct Taps: Sendable {
        var low: [Int], high: [Int], lowWeight: [Float], highWeight: [Float]
    }
    let rowTaps: Taps
    let columnTaps: Taps

    public init(from input: (height: Int, width: Int), to output: (height: Int, width: Int)) {
        inputHeight = input.height; inputWidth = input.width
        outputHeight = output.height; outputWidth = output.width
        rowTaps = Self.taps(input: input.height, output: output.height)
        columnTaps = Self.taps(input: input.width, output: output.width)
    }

    static func taps(input: Int, output: Int) -> Taps {
        var t = Taps(low: [], high: [], lowWeight: [], highWeight: [])
        let scale = Double(input) / Double(output)
        for o in 0..<output {
            let source = max((Double(o) + 0.5) * scale - 0.5, 0)
            let low = min(Int(source), input - 1)
            let high = low < input - 1 ? low + 1 : low
            let lambda = Float(source - Double(low))
            t.low.append(low); t.high.append(high)
            t.lowWeight.append(1 - lambda); t.highWeight.append(lambda)
        }
        return t
    }

    /// [inputHeight, inputWidth, C] → [outputHeight, outputWidth, C].
    public func forward(_ input: Tensor) throws -> Tensor {
        let c = try channels(of: input, height: inputHeight, width: inputWidth)
        // Along columns first ([inH, outW, C]), then along rows.
        let wide = Tensor(zeros: [inputHeight, outputWidth, c])
        let src = input.pointer, mid = wide.pointer
        for y in 0..<inputHeight {
            for x in 0..<outputWidth {
                let a = src + (y * inputWidth + columnTaps.low[x]) * c, b = src + (y * inputWidth + columnTaps.high[x]) * c
                let wa = columnTaps.lowWeight[x], wb = columnTaps.highWeight[x], o = mid + (y * outputWidth + x) * c
                for k in 0..<c { o[k] = wa * a[k] + wb * b[k] }
            }
        }
        let out = Tensor(zeros: [outputHeight, outputWidth, c])
        let dst = out.pointer, rowLength = outputWidth * c
        for y in 0..<outputHeight {
            let a = mid + rowTaps.low[y] * rowLength, b = mid + rowTaps.high[y] * rowLength, o = dst + y * rowLength
            let wa = rowTaps.lowWeight[y], wb = rowTaps.highWeight[y]
            for i in 0..<rowLength { o[i] = wa * a[i] + wb * b[i] }
        }
        return out
    }

    /// ∂L/∂input [inputHeight, inputWidth, C] for ∂L/∂output [outputHeight, outputWidth, C].
    public func backward(_ outputGradient: Tensor) throws -> Tensor {
        let c = try channels(of: outputGradient, height: outputHeight, width: outputWidth)
        let rowLength = outputWidth * c
        let wide = Tensor(zeros: [inputHeight, outputWidth, c])
        let g = outputGradient.pointer, mid = wide.pointer
        for y in 0..<outputHeight {
            let a = mid + rowTaps.low[y] * rowLength, b = mid + rowTaps.high[y] * rowLength, d = g + y * rowLength
            let wa = rowTaps.lowWeight[y], wb = rowTaps.highWeight[y]
            for i in 0..<rowLength { a[i] += wa * d[i]; b[i] += wb * d[i] }
        }
        let result = Tensor(zeros: [inputHeight, inputWidth, c])
        let dst = result.pointer
        for y in 0..<inputHeight {
            for x in 0..<outputWidth {
                let d = mid + (y * outputWidth + x) * c
                let a = dst + (y * inputWidth + columnTaps.low[x]) * c, b = dst + (y * inputWidth + columnTaps.high[x]) * c
                let wa = columnTaps.lowWeight[x], wb = columnTaps.highWeight[x]
                for k in 0..<c { a[k] += wa * d[k]; b[k] += wb * d[k] }
            }
        }
        return result
    }

    private func channels(of t: Tensor, height: Int, width: Int) throws -> Int {
        guard height * width > 0, t.count % (height * width) == 0 else {
            throw TensorError.shapeMismatch(operation: "bilinear map \(height)×\(width)", shapes: [t.shape])
        }
        return t.count / (height * width)
    }
}
