import Foundation

/// How `PointCloudFile` turns a file into the cloud to score: what unnamed text/.npy columns are,
/// how many points to draw on a mesh's surface, and where warnings about guesses go.
public struct CloudLoadOptions: Sendable {
    /// Names the columns of text and .npy files (`--columns`); nil: header line or a guess.
    public var columns: ColumnSpec?
    /// Points drawn on a mesh's surface (`--surface-points`).
    public var surfacePoints: Int
    /// Seed of the surface sampling, so a mesh always gives the same points.
    public var seed: UInt64
    /// Receives each warning (a guessed column layout, an option that does not apply).
    public var warn: @Sendable (String) -> Void

    public init(columns: ColumnSpec? = nil, surfacePoints: Int = MeshSurfaceSampler.defaultPointCount, seed: UInt64 = 0,
                warn: @escaping @Sendable (String) -> Void = CloudLoadOptions.printWarning) {
        self.columns = columns
        self.surfacePoints = surfacePoints
        self.seed = seed
        self.warn = warn
    }

    /// The default: "warning: …" on standard error.
    public static let printWarning: @Sendable (String) -> Void = { message in
        FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
    }
}
