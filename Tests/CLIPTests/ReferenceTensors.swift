import Testing
import CLIP
import Foundation
import TensorCore
import TestSupport

/// A reference-fixture folder (`model/` + `expected.safetensors`) and the comparison every parity
/// test makes: same element count, max relative error within tolerance.
struct ReferenceTensors {
    let model: CLIPModel
    let expected: SafetensorsFile

    init(_ folder: URL) throws {
        model = try CLIPModel(directory: folder.appendingPathComponent("model"))
        expected = try SafetensorsFile(contentsOf: folder.appendingPathComponent("expected.safetensors"))
    }

    /// Records an issue when `actual` differs from the fixture's tensor `name` by more than `tolerance`.
    func check(_ name: String, _ actual: Tensor, tolerance: Float = 1e-4) throws {
        let reference = try expected.tensor(name)
        #expect(actual.count == reference.count, "\(name): \(actual.shape) vs \(reference.shape)")
        guard actual.count == reference.count else { return }
        let error = maxRelativeError(actual.toArray(), reference.toArray())
        #expect(error <= tolerance, "\(name): relative error \(error)")
    }
}
