import Foundation
import Rendering

/// Everything that decides how the detector scores, besides the model and the prompts.
public struct DetectorSettings: Sendable {
    public var scoring = ScoringSettings()
    /// Which vision blocks' patch tokens are scored (default: the paper's).
    public var layers: LayerSelection = .paper
    /// The authors' DPAM_layer D; nil scales PointAD's 20-of-24 to the model's depth.
    public var dpamLayer: Int?
    /// How views are drawn; nil draws them at the model's input size (336 for ViT-L/14@336) with
    /// the renderer's defaults (the reference's camera and splats).
    public var render: RenderSettings?
    /// The nine views; nil picks PointAD's (MVTec's, with its 180° flip about x, for organised scans).
    public var views: ViewSet?
    /// Neighbours for PCA normals when the cloud has none; nil: the view set's search.
    public var normalNeighbours: Int? = nil
    /// Images per vision-tower batch.
    public var batch = 9
    /// Real3D-AD resampling; nil: `reference` for clouds under the Real3D view set. Scores are
    /// reported for the input's points either way.
    public var resample: ResampleMode?
    /// Folder of cached vision-tower outputs (`ViewFeatureCache`); nil runs the tower every time.
    public var featureCache: URL?

    public init(scoring: ScoringSettings = ScoringSettings(), layers: LayerSelection = .paper, dpamLayer: Int? = nil,
                render: RenderSettings? = nil, views: ViewSet? = nil, normalNeighbours: Int? = nil, batch: Int = 9) {
        self.scoring = scoring
        self.layers = layers
        self.dpamLayer = dpamLayer
        self.render = render
        self.views = views
        self.normalNeighbours = normalNeighbours
        self.batch = batch
    }
}
