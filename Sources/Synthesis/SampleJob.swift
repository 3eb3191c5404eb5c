/// One sample file set to make: which class, which split, which defects, where it goes, and the
/// seed it is drawn from.
public struct SampleJob: Sendable, Equatable {
    public let classIndex: Int
    /// `train`, `validation` or `test`.
    public let split: String
    /// Empty for a normal sample; two kinds for an MVTec `combined` sample.
    public let defects: [DefectKind]
    /// Folder name under the split for MVTec-style trees (`good`, `bump`, `combined`…); unused otherwise.
    public let folder: String
    /// File name without extension.
    public let stem: String
    public let seed: UInt64

    public var isDefective: Bool { !defects.isEmpty }
}

/// Lays out the samples of every class in a layout's naming scheme.
///
/// Test sets are about half normal: for K test samples, ⌈K/2⌉ good and ⌊K/2⌋ defective, the
/// defect kinds taken in turn (starting at a different kind for each class). MVTec-style trees
/// also get a validation split (⌈train/5⌉ samples) and, when there are more defective samples
/// than kinds, a `combined` sample with two defects, as MVTec 3D-AD has.
public enum DatasetPlan {
    public static func jobs(for objectClass: SyntheticClass, settings: SynthesisSettings) -> [SampleJob] {
        let layout = settings.layout, kinds = layout.defectKinds, c = objectClass.index
        let train = settings.resolvedTrainSamples, test = settings.testSamples
        var jobs: [SampleJob] = []
        func seed(_ split: UInt64, _ index: Int) -> UInt64 { SeedDerivation.derive(objectClass.seed, split, UInt64(index)) }
        func kind(_ j: Int) -> DefectKind { kinds[(c + j) % kinds.count] }

        switch layout {
        case .mvtec3d:
            let stem = { (i: Int) in String(repeating: "0", count: max(0, 3 - String(i).count)) + String(i) }
            for i in 0..<train { jobs.append(SampleJob(classIndex: c, split: "train", defects: [], folder: "good", stem: stem(i), seed: seed(1, i))) }
            for i in 0..<((train + 4) / 5) {
                jobs.append(SampleJob(classIndex: c, split: "validation", defects: [], folder: "good", stem: stem(i), seed: seed(2, i)))
            }
            let good = (test + 1) / 2, defective = test / 2
            for i in 0..<good { jobs.append(SampleJob(classIndex: c, split: "test", defects: [], folder: "good", stem: stem(i), seed: seed(3, i))) }
            var perFolder: [String: Int] = [:]
            for j in 0..<defective {
                let combined = defective > kinds.count && j == defective - 1
                let defects = combined ? [kind(j), kind(j + 2)] : [kind(j)]
                let folder = combined ? "combined" : defects[0].mvtecName
                let index = perFolder[folder, default: 0]
                perFolder[folder] = index + 1
                jobs.append(SampleJob(classIndex: c, split: "test", defects: defects, folder: folder, stem: stem(index), seed: seed(4, j)))
            }
        case .real3d:
            for k in 0..<train {
                jobs.append(SampleJob(classIndex: c, split: "train", defects: [], folder: "", stem: "\(k + 1)_template", seed: seed(1, k)))
            }
            for i in 0..<test {
                let defects = i % 2 == 0 ? [] : [kind(i / 2)]
                let name = defects.first?.real3dName ?? "good"
                jobs.append(SampleJob(classIndex: c, split: "test", defects: defects, folder: "", stem: "\(i + 1)_\(name)", seed: seed(3, i)))
            }
        case .shapenet:
            let name = objectClass.name
            for k in 0..<train {
                jobs.append(SampleJob(classIndex: c, split: "train", defects: [], folder: "", stem: "\(name)_template\(k)", seed: seed(1, k)))
            }
            var perType: [String: Int] = [:]
            for i in 0..<test {
                let defects = i % 2 == 0 ? [] : [kind(i / 2)]
                let type = defects.first?.shapenetName ?? "positive"
                let index = perType[type, default: 0]
                perType[type] = index + 1
                jobs.append(SampleJob(classIndex: c, split: "test", defects: defects, folder: "", stem: "\(name)_\(type)\(index)", seed: seed(3, i)))
            }
        }
        return jobs
    }
}
