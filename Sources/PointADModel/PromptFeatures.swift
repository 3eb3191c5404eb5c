import PointADSupport
import TensorCore

/// The text side of one prompt set: the L2-normalised embeddings of its "normal" (row 0) and
/// "abnormal" (row 1) prompts, `[2, D]`. PointAD has one set (the rendering prompts); PointAD+
/// adds a second (the geometry prompts).
public struct PromptFeatures: Sendable {
    /// `[2, D]`, rows L2-normalised: 0 = normal, 1 = abnormal.
    public let embeddings: Tensor

    /// The embedding width D.
    public var width: Int { embeddings.shape[1] }

    /// Takes the two text-encoder outputs and L2-normalises each (as the reference does after stacking).
    public init(normal: [Float], abnormal: [Float]) throws {
        guard normal.count == abnormal.count, !normal.isEmpty else {
            throw UsageError("prompt features: normal and abnormal embeddings must have the same non-zero width, got \(normal.count) and \(abnormal.count)")
        }
        try self.init(embeddings: Tensor(shape: [2, normal.count], values: normal + abnormal))
    }

    /// Takes a `[2, D]` tensor (normal, abnormal) and L2-normalises a copy of its rows.
    public init(embeddings: Tensor) throws {
        guard embeddings.rank == 2, embeddings.shape[0] == 2, embeddings.shape[1] > 0 else {
            throw UsageError("prompt features: expected shape [2, D] (normal, abnormal), got \(embeddings.shape)")
        }
        let copy = embeddings.copy()
        copy.l2NormalizeRows()
        self.embeddings = copy
    }
}

/// CLIP's fixed similarity temperature in PointAD/AnomalyCLIP: cosine similarities are divided by
/// 0.07 (×100/7) before the softmax over {normal, abnormal}; CLIP's learned logit scale is not used.
public enum SimilarityTemperature {
    public static let reference: Float = 0.07
}
