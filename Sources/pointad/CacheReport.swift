import Foundation
import PointADModel

/// One stderr line saying how much of the vision work the feature cache saved.
func reportCacheUse(_ cache: ViewFeatureCache) {
    let line = "feature cache \(cache.directory.path): \(cache.hits) view batch(es) reused, \(cache.misses) computed\n"
    FileHandle.standardError.write(Data(line.utf8))
}
