import Dispatch
import Foundation

/// Loads the next sample on a background thread while the current one is scored, so reading files
/// adds nothing to a run whose time is spent in the scorer.
final class Prefetcher: @unchecked Sendable {
    private let loader: any SampleLoading
    private let samples: [SampleDescriptor]
    private let queue = DispatchQueue(label: "pointad.eval.prefetch")
    private var pending: (position: Int, group: DispatchGroup)?
    private var result: Result<LoadedSample, Error>?

    init(loader: any SampleLoading, samples: [SampleDescriptor]) {
        self.loader = loader
        self.samples = samples
    }

    /// The sample at `position` (positions must be taken in increasing order); starts loading the next.
    func take(_ position: Int) throws -> LoadedSample {
        let loaded: Result<LoadedSample, Error>
        if let pending, pending.position == position {
            pending.group.wait()
            loaded = result!
        } else {
            loaded = Result { try loader.load(samples[position]) }
        }
        pending = nil
        if position + 1 < samples.count { start(position + 1) }
        return try loaded.get()
    }

    private func start(_ position: Int) {
        let group = DispatchGroup()
        group.enter()
        pending = (position, group)
        queue.async { [self] in
            result = Result { try loader.load(samples[position]) }
            group.leave()
        }
    }
}
