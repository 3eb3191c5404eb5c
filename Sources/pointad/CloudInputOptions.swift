import ArgumentParser
import PointADSupport
import PointClouds

/// Options for reading input files, shared by `score`, `render` and `info`.
struct CloudInputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("What the columns of text and .npy files are, e.g. x,y,z,r,g,b (\(ColumnSpec.help)). Without it a header line names them, or the layout is guessed with a warning.",
                               valueName: "names"))
    var columns: String?

    @Option(name: .customLong("surface-points"), help: "Points sampled on a mesh's surface (.obj, .stl, .off), area-weighted and seeded.")
    var surfacePoints: Int = MeshSurfaceSampler.defaultPointCount

    func validate() throws {
        if let columns { _ = try parsedColumns(columns) }
        if surfacePoints < 1 || surfacePoints > 50_000_000 { throw ValidationError("--surface-points must be 1…50000000, got \(surfacePoints)") }
    }

    private func parsedColumns(_ text: String) throws -> ColumnSpec {
        do { return try ColumnSpec(parsing: text) } catch let error as UsageError { throw ValidationError(error.message) }
    }

    var loadOptions: CloudLoadOptions {
        get throws { CloudLoadOptions(columns: try columns.map(parsedColumns), surfacePoints: surfacePoints) }
    }
}
