import Foundation
import TensorCore

/// Softmax cross-entropy on logits, averaged over rows (PyTorch's `CrossEntropyLoss`).
public enum CrossEntropyLoss {
    /// `logits` [rows, classes], `labels` [rows] class indices.
    public static func evaluate(logits: Tensor, labels: [Int]) throws -> LossValue {
        let rows = labels.count
        guard rows > 0, logits.count % rows == 0 else {
            throw TensorError.shapeMismatch(operation: "cross-entropy", shapes: [logits.shape, [rows]])
        }
        let classes = logits.count / rows
        guard labels.allSatisfy({ $0 >= 0 && $0 < classes }) else {
            throw TensorError.invalidArgument("cross-entropy labels \(labels) outside 0..<\(classes)")
        }
        let grad = Tensor(zeros: logits.shape)
        let z = logits.pointer, g = grad.pointer
        var total = 0.0
        for r in 0..<rows {
            var m = -Double.infinity
            for c in 0..<classes { m = max(m, Double(z[r * classes + c])) }
            var sum = 0.0
            for c in 0..<classes { sum += Foundation.exp(Double(z[r * classes + c]) - m) }
            let logSum = m + Foundation.log(sum)
            total += logSum - Double(z[r * classes + labels[r]])
            for c in 0..<classes {
                let p = Foundation.exp(Double(z[r * classes + c]) - logSum)
                g[r * classes + c] = Float((p - (c == labels[r] ? 1 : 0)) / Double(rows))
            }
        }
        return LossValue(value: total / Double(rows), gradient: grad)
    }
}
