import TensorCore

/// AnomalyCLIP's binary dice loss: per sample 1 − (2Σp·t + 1)/(Σp + Σt + 1), averaged over samples.
/// Works on one channel of channel-interleaved maps, so the reference's "dice on both channels"
/// (abnormal against the mask, normal against its complement) needs no copies.
public enum DiceLoss {
    /// `values` [samples, elements, channels]; the loss reads `channel` and compares it with `targets`
    /// [samples·elements] (0/1), or with 1 − targets when `complement`. The gradient has the
    /// shape of `values`, zero on the other channels.
    public static func evaluate(values: Tensor, channel: Int, channels: Int, samples: Int, targets: [UInt8],
                                complement: Bool = false) throws -> LossValue {
        guard samples > 0, targets.count % samples == 0, values.count == targets.count * channels, channel < channels else {
            throw TensorError.shapeMismatch(operation: "dice loss", shapes: [values.shape, [targets.count, channels]])
        }
        let perSample = targets.count / samples
        let grad = Tensor(zeros: values.shape)
        let v = values.pointer, g = grad.pointer
        var total = 0.0
        for s in 0..<samples {
            var intersection = 0.0, sumP = 0.0, sumT = 0.0
            for e in 0..<perSample {
                let i = s * perSample + e
                let t: Double = (targets[i] != 0) != complement ? 1 : 0
                let p = Double(v[i * channels + channel])
                intersection += p * t; sumP += p; sumT += t
            }
            let a = 2 * intersection + 1, b = sumP + sumT + 1
            total += 1 - a / b
            // ∂/∂p_i of −a/b = −(2t_i·b − a)/b², averaged over samples.
            let inverse = 1 / (b * b * Double(samples))
            for e in 0..<perSample {
                let i = s * perSample + e
                let t: Double = (targets[i] != 0) != complement ? 1 : 0
                g[i * channels + channel] = Float(-(2 * t * b - a) * inverse)
            }
        }
        return LossValue(value: total / Double(samples), gradient: grad)
    }
}
