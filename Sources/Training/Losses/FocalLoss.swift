import Foundation
import TensorCore

/// AnomalyCLIP's focal loss on probability maps (γ = 2, α = 1; the input is already a probability):
/// the one-hot target is clamped to [1e−5, 1 − 1e−5], pt = Σ_c onehot_c·p_c + 1e−5 and
/// loss = mean over pixels of −(1 − pt)²·log pt.
public enum FocalLoss {
    static let smooth: Float = 1e-5

    /// `probabilities` [pixels, 2] (normal, abnormal), `targets` [pixels] in {0, 1}.
    public static func evaluate(probabilities: Tensor, targets: [UInt8], gamma: Float = 2) throws -> LossValue {
        let n = targets.count
        guard probabilities.count == n * 2 else {
            throw TensorError.shapeMismatch(operation: "focal loss", shapes: [probabilities.shape, [n, 2]])
        }
        let grad = Tensor(zeros: probabilities.shape)
        let p = probabilities.pointer, g = grad.pointer
        let hi = 1 - smooth, lo = smooth, scale = 1 / Float(max(n, 1))
        var total = 0.0
        for i in 0..<n {
            let abnormal = targets[i] != 0
            let w0: Float = abnormal ? lo : hi, w1: Float = abnormal ? hi : lo
            let pt = w0 * p[2 * i] + w1 * p[2 * i + 1] + smooth
            let logPt = Foundation.log(pt)
            let q = 1 - pt
            total += Double(-pow(q, gamma) * logPt)
            // d/dpt of −(1−pt)^γ·log pt = γ(1−pt)^(γ−1)·log pt − (1−pt)^γ/pt.
            let dPt = (gamma * pow(q, gamma - 1) * logPt - pow(q, gamma) / pt) * scale
            g[2 * i] = dPt * w0
            g[2 * i + 1] = dPt * w1
        }
        return LossValue(value: total / Double(max(n, 1)), gradient: grad)
    }
}
