import Foundation
import Imaging
import PointADSupport
import TensorCore

/// CLIP's image preprocessing: bicubic resize to the model's input size when the image differs,
/// samples in [0, 1], then per-channel (x − mean) / std, laid out NCHW.
public enum ImagePreprocessing {
    public static let mean: [Float] = [0.48145466, 0.4578275, 0.40821073]
    public static let std: [Float] = [0.26862954, 0.26130258, 0.27577711]

    /// Normalised pixels [images.count, 3, size, size] for RGB images.
    public static func pixels(_ images: [Image], size: Int) throws -> Tensor {
        let plane = size * size
        let out = Tensor(zeros: [images.count, 3, size, size])
        for (n, original) in images.enumerated() {
            guard original.channels == 3 else { throw UsageError("CLIP expects RGB images, got \(original.channels) channel(s)") }
            let image = original.resizedBicubic(width: size, height: size)
            let base = out.pointer + n * 3 * plane
            for c in 0..<3 {
                let m = mean[c], inv = 1 / std[c], dst = base + c * plane
                for i in 0..<plane { dst[i] = (image.pixels[i * 3 + c] - m) * inv }
            }
        }
        return out
    }

    /// Reads PNGs (as RGB) and preprocesses them.
    public static func pixels(pngs: [URL], size: Int) throws -> Tensor {
        try pixels(pngs.map { try PNGFile.read($0, as: .rgb) }, size: size)
    }
}
