import CLIP

/// The model sizes `pointad init-model` can create.
public enum CLIPPreset: String, CaseIterable, Sendable {
    /// A very small CLIP (vision width 64, 4 layers, 224 px input with 14 px patches → a 16×16
    /// patch grid; text width 64 with CLIP's 12 layers, so PointAD's default deep prompts (depth
    /// 9) fit unchanged) that trains and scores in seconds on two cores: for tests, CI and the demo.
    case tiny
    /// The shapes of `openai/clip-vit-base-patch16`.
    case vitB16 = "vit-b-16"
    /// The shapes of `openai/clip-vit-large-patch14-336`, the model PointAD uses.
    case vitL14at336 = "vit-l-14-336"

    public var configuration: CLIPConfiguration {
        switch self {
        case .tiny:
            CLIPConfiguration(
                vision: .init(hiddenSize: 64, intermediateSize: 256, layers: 4, heads: 4, imageSize: 224, patchSize: 14),
                text: .init(hiddenSize: 64, intermediateSize: 256, layers: 12, heads: 4),
                projectionDim: 64)
        case .vitB16:
            CLIPConfiguration(
                vision: .init(hiddenSize: 768, intermediateSize: 3072, layers: 12, heads: 12, imageSize: 224, patchSize: 16),
                text: .init(hiddenSize: 512, intermediateSize: 2048, layers: 12, heads: 8),
                projectionDim: 512)
        case .vitL14at336:
            CLIPConfiguration.vitL14at336
        }
    }
}
