import TensorCore
import TestSupport
@testable import Training

/// Training examples whose frozen "CLIP features" follow a known rule, for testing that training
/// learns: every patch feature is normalise(class direction + noise), and patches holding a defect
/// add a defect direction shared by all classes. Prompts that learn the defect direction score
/// unseen classes' defects; untrained prompts cannot know it.
struct SyntheticFeatureData {
    let width: Int
    let side = 4
    let image = 16
    let views = 3
    let points = 48
    let defect: [Float]

    init(width: Int, seed: UInt64) {
        self.width = width
        defect = Self.unit(randomFloats(width, seed: seed))
    }

    static func unit(_ v: [Float]) -> [Float] {
        let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return v.map { $0 / n }
    }

    /// Objects of class `classIndex`; odd-numbered objects carry a defect.
    func examples(classIndex: Int, count: Int, seed: UInt64) throws -> [TrainingExample] {
        let classDirection = Self.unit(randomFloats(width, seed: 1000 + UInt64(classIndex)))
        var rng = SeededRandom(seed: seed)
        return try (0..<count).map { index in
            let defective = index % 2 == 1
            // A defect covers a 2×2 block of patches at a random place.
            let r0 = Int(rng.next() % UInt64(side - 1)), c0 = Int(rng.next() % UInt64(side - 1))
            func isDefect(_ r: Int, _ c: Int) -> Bool { defective && (r0...(r0 + 1)).contains(r) && (c0...(c0 + 1)).contains(c) }
            let cell = image / side
            let tokens = Tensor(zeros: [views, 1, side * side, width])
            let classes = Tensor(zeros: [views, width])
            var masks = [[UInt8]](repeating: [UInt8](repeating: 0, count: image * image), count: views)
            for v in 0..<views {
                for r in 0..<side {
                    for c in 0..<side {
                        let row = tokens.pointer + (v * side * side + r * side + c) * width
                        var f = [Float](repeating: 0, count: width)
                        for i in 0..<width { f[i] = classDirection[i] + 0.6 * (rng.uniform() * 2 - 1) + (isDefect(r, c) ? 1.2 * defect[i] : 0) }
                        let u = Self.unit(f)
                        for i in 0..<width { row[i] = u[i] }
                        if isDefect(r, c) {
                            for y in (r * cell)..<((r + 1) * cell) { for x in (c * cell)..<((c + 1) * cell) { masks[v][y * image + x] = 1 } }
                        }
                    }
                }
                var g = [Float](repeating: 0, count: width)
                for i in 0..<width { g[i] = classDirection[i] + 0.3 * (rng.uniform() * 2 - 1) + (defective ? 0.8 * defect[i] : 0) }
                let u = Self.unit(g)
                for i in 0..<width { classes[v, i] = u[i] }
            }
            // Points at random pixels, the same pixel in every view; a point is anomalous when its pixel is.
            let pixels = (0..<points).map { _ in Int32(rng.next() % UInt64(image * image)) }
            let labels = pixels.map { masks[0][Int($0)] }
            return try TrainingExample(patchTokens: tokens, classTokens: classes, imageSize: image, pixelMasks: masks,
                                       backProjection: PointBackProjection(pixels: Array(repeating: pixels, count: views), pixelsPerView: image * image),
                                       pointLabels: labels, objectLabel: defective ? 1 : 0)
        }
    }
}

/// AUROC by the Mann–Whitney statistic (ties count half), an independent reference.
func areaUnderROC(scores: [Float], labels: [UInt8]) -> Double {
    let positives = zip(scores, labels).filter { $0.1 != 0 }.map(\.0)
    let negatives = zip(scores, labels).filter { $0.1 == 0 }.map(\.0)
    var wins = 0.0
    for p in positives { for n in negatives { wins += p > n ? 1 : (p == n ? 0.5 : 0) } }
    return wins / Double(positives.count * negatives.count)
}
