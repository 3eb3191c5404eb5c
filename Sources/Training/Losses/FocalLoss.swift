import Foundation
import TensorCore

/// AnomalyCLIP's focal loss on probability maps (γ = 2 and α = 1 as the reference; the input is already a probability):
/// the one-hot target is clamped to [1e−5, 1 − 1e−5], pt = Σ_c onehot_c·p_c + 1e−5 and
/// loss = mean over pixels of −(1 − pt)²·log pt.
public enum FocalLoss {
    static let smooth: Float = 1e-5

    /// `probabilities` [pixels, 2] (normal, abnormal), `targets` [pixels] in {0, 1}.
    public static func evaluate(probabilities: Tensor, targets: [UInt8]) throws -> LossValue {
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
            total += Double(-q * q * logPt)
            // d/dpt of −(1−pt)²·log pt = 2(1−pt)·log pt − (1−pt)²/pt.
            let dPt = (2 * q * logPt - q * q / pt) * scale
            g[2 * i] = dPt * w0
            g[2 * i + 1] = dPt * w1
        }
        return LossValue(value: total / Double(max(n, 1)), gradient: grad)
    }
}
