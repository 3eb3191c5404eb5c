import PointADSupport
import TensorCore

/// Anomaly probabilities of feature vectors against a prompt set (dossier §4.5):
/// p = softmax(f·Tᵀ / τ)[abnormal] = 1 / (1 + exp((f·t_normal − f·t_abnormal) / τ)).
///
/// The two-way softmax is written as a logistic of the logit difference: the same value, one exp.
public enum PatchScoring {
    /// The abnormal probability of every row of `features` (`[R, D]`, rows L2-normalised by the
    /// caller) against `prompts`; one BLAS product for the cosines.
    public static func abnormalProbabilities(_ features: Tensor, prompts: PromptFeatures,
                                             temperature: Float = SimilarityTemperature.reference) throws -> [Float] {
        guard features.rank == 2, features.shape[1] == prompts.width else {
            throw UsageError("patch scoring: features of shape \(features.shape) do not match prompts of width \(prompts.width)")
        }
        let logits = try features.matmul(prompts.embeddings, transposeOther: true)  // [R, 2]
        return logisticOfDifference(logits.pointer, rows: features.shape[0], temperature: temperature)
    }

    /// The abnormal probability of one vector (e.g. a class-token embedding).
    public static func abnormalProbability(_ feature: Tensor, prompts: PromptFeatures,
                                           temperature: Float = SimilarityTemperature.reference) throws -> Float {
        try abnormalProbabilities(feature.reshaped([1, feature.count]), prompts: prompts, temperature: temperature)[0]
    }

    /// p[r] = 1 / (1 + exp((l[r,0] − l[r,1]) / τ)) for interleaved two-column logits.
    static func logisticOfDifference(_ logits: UnsafePointer<Float>, rows: Int, temperature: Float) -> [Float] {
        var out = [Float](repeating: 0, count: rows)
        let inv = 1 / temperature
        out.withUnsafeMutableBufferPointer { o in
            let p = o.baseAddress!
            for r in 0..<rows { p[r] = 1 / (1 + FastMath.exp((logits[2 * r] - logits[2 * r + 1]) * inv)) }
        }
        return out
    }
}
