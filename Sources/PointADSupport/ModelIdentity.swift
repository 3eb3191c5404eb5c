import Foundation

extension ModelFolder {
    /// What identifies a model folder's weights for caches: its path, the weight file's size and
    /// date, and a hash of `config.json`. Replacing the weights or editing the configuration
    /// changes it; a missing file reads as size -1.
    public static func identity(_ folder: URL) throws -> String {
        let config = try String(contentsOf: folder.appendingPathComponent("config.json"), encoding: .utf8)
        var hash = StableHash()
        hash.combine(config)
        return "\(folder.standardizedFileURL.path) \(fileStamp(folder.appendingPathComponent("model.safetensors"))) \(hash.hex)"
    }

    /// "size@modification-seconds" of a file ("-1@0" when it cannot be read).
    public static func fileStamp(_ url: URL) -> String {
        let a = try? FileManager.default.attributesOfItem(atPath: url.path)
        let size = (a?[.size] as? NSNumber)?.intValue ?? -1
        let date = (a?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(size)@\(Int(date))"
    }
}
