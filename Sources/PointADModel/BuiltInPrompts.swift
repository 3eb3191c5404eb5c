import CLIP
import PointADSupport
import TensorCore

/// Hand-written prompts for scoring without a trained prompts file: the compositional prompt
/// ensemble of WinCLIP (Jeong et al., "WinCLIP: Zero-/Few-Shot Anomaly Classification and
/// Segmentation", CVPR 2023), the class-agnostic baseline that AnomalyCLIP and PointAD compare
/// against. Every state word (normal or anomalous, applied to the object name) is put into every
/// template; each side's text features are L2-normalised, averaged, and normalised again.
///
/// The object name is "object": the detector is class-agnostic, as PointAD's learned prompts are.
/// Trained prompts are the better path; these exist so a new user can score a part out of the box.
public enum BuiltInPrompts {
    /// The label written into every output scored with these prompts.
    public static let label = "built-in WinCLIP templates"

    /// WinCLIP's state words for a normal object ("{}" is the object name).
    public static let normalStates = [
        "{}", "flawless {}", "perfect {}", "unblemished {}",
        "{} without flaw", "{} without defect", "{} without damage",
    ]

    /// WinCLIP's state words for an anomalous object.
    public static let anomalousStates = [
        "damaged {}", "broken {}", "{} with flaw", "{} with defect", "{} with damage",
    ]

    /// WinCLIP's templates (ImageNet-style photo templates plus two for inspection).
    public static let templates = [
        "a cropped photo of the {}.", "a cropped photo of a {}.",
        "a close-up photo of a {}.", "a close-up photo of the {}.",
        "a bright photo of a {}.", "a bright photo of the {}.",
        "a dark photo of the {}.", "a dark photo of a {}.",
        "a jpeg corrupted photo of a {}.", "a jpeg corrupted photo of the {}.",
        "a blurry photo of the {}.", "a blurry photo of a {}.",
        "a photo of a {}.", "a photo of the {}.",
        "a photo of a small {}.", "a photo of the small {}.",
        "a photo of a large {}.", "a photo of the large {}.",
        "a photo of the {} for visual inspection.", "a photo of a {} for visual inspection.",
        "a photo of the {} for anomaly detection.", "a photo of a {} for anomaly detection.",
    ]

    /// Every sentence of one side: each state (with `object` filled in) in each template.
    public static func sentences(anomalous: Bool, object: String = "object") -> [String] {
        let states = (anomalous ? anomalousStates : normalStates).map { $0.replacingOccurrences(of: "{}", with: object) }
        return states.flatMap { state in templates.map { $0.replacingOccurrences(of: "{}", with: state) } }
    }

    /// The normal/abnormal text features: the mean of each side's normalised sentence embeddings.
    /// With `cache`, the two means are read from it when this model's entry exists (the 264
    /// sentences cost a text-tower pass of several views' time on ViT-L/14 and never change).
    public static func features(text: TextTransformer, tokenizer: CLIPTokenizer, object: String = "object",
                                cache: ViewFeatureCache? = nil) throws -> PromptFeatures {
        let compute = {
            (normal: try meanEmbedding(sentences(anomalous: false, object: object), text: text, tokenizer: tokenizer),
             abnormal: try meanEmbedding(sentences(anomalous: true, object: object), text: text, tokenizer: tokenizer))
        }
        let means = try cache.map { try $0.promptMeans(sentences: sentences(anomalous: false, object: object) + sentences(anomalous: true, object: object),
                                                       compute: compute) } ?? compute()
        return try PromptFeatures(normal: means.normal, abnormal: means.abnormal)
    }

    /// Encodes the sentences (padded only to the longest: the causal text tower pools at the end
    /// token, so later padding changes nothing) and averages their L2-normalised embeddings.
    static func meanEmbedding(_ texts: [String], text: TextTransformer, tokenizer: CLIPTokenizer) throws -> [Float] {
        let encoded = texts.map { tokenizer.encode($0, contextLength: text.contextLength) }
        let length = encoded.map(\.count).max() ?? 0
        let ids = encoded.map { $0 + [Int32](repeating: 0, count: length - $0.count) }
        let embeds = try text.encode(ids: ids).textEmbeds
        embeds.l2NormalizeRows()
        let d = embeds.shape[1]
        var mean = [Float](repeating: 0, count: d)
        for r in 0..<embeds.shape[0] {
            for c in 0..<d { mean[c] += embeds.pointer[r * d + c] }
        }
        let n = Float(embeds.shape[0])
        return mean.map { $0 / n }
    }
}
