import Foundation

/// MVTec 3D-AD (and Eyecandies converted to it): `<class>/<split>/<defect>/{xyz,rgb,gt}/<stem>`.
/// As the official evaluator, every subfolder of `<class>/<split>` is a defect type (`good`
/// included), files beside them (`class_ids.json`, `readme.txt`) and `calibration/` at class level
/// are never visited. Samples are paired by stem: the xyz TIFFs define the samples; `rgb/<stem>.png`
/// and `gt/<stem>.png` are attached (a missing gt of a defect sample surfaces when it is loaded).
enum MVTecLayout {
    static func samples(classDir: URL, className: String, split: String) throws -> [SampleDescriptor] {
        let splitDir = classDir.appendingPathComponent(split)
        guard Listing.isDirectory(splitDir) else { return [] }
        var result: [SampleDescriptor] = []
        for defect in try Listing.subdirectories(splitDir) {
            let defectDir = splitDir.appendingPathComponent(defect)
            let xyzDir = defectDir.appendingPathComponent("xyz")
            let rgbDir = defectDir.appendingPathComponent("rgb"), gtDir = defectDir.appendingPathComponent("gt")
            let good = defect == "good"
            for file in try Listing.files(xyzDir, extensions: ["tiff", "tif"]) {
                let stem = Listing.stem(file)
                let rgb = rgbDir.appendingPathComponent(stem + ".png")
                let gt = gtDir.appendingPathComponent(stem + ".png")
                // Test samples carry a gt (all zero for good ones); train/validation have none.
                let hasGT = split == "test" && (!good || FileManager.default.fileExists(atPath: gt.path))
                result.append(SampleDescriptor(
                    className: className, split: split, defect: defect, stem: stem,
                    points: xyzDir.appendingPathComponent(file).path,
                    rgb: FileManager.default.fileExists(atPath: rgb.path) ? rgb.path : nil,
                    groundTruth: hasGT ? gt.path : nil,
                    label: good ? 0 : 1))
            }
        }
        return result
    }
}
