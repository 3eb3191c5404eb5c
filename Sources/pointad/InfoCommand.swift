import ArgumentParser
import CLIP
import Foundation
import PointClouds
import TensorCore

/// `pointad info FILE`: what a point cloud file holds.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe a point cloud or mesh file: format, points, properties, bounds; or list the tensors of a checkpoint (.pt, .pth, .bin, .safetensors); without a file, this machine's compute setup.",
        discussion: "Reads \(PointCloudFile.Format.listing). For a mesh, points is its vertex count, faces its triangles, and the box that of its vertices. Without a file: processor, vector extensions, OpenBLAS build and kernel, and a warning when that kernel is far narrower than the processor allows.")

    @Argument(help: "The point cloud or mesh file (none: describe this machine's compute setup).")
    var file: String?

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @OptionGroup var input: CloudInputOptions

    func run() throws {
        guard let file else { return try describeMachine() }
        let url = URL(fileURLWithPath: file)
        if TensorListing.isTensorFile(url) { return try listTensors(url) }
        let (cloud, summary) = try PointCloudFile.describe(url, options: try input.loadOptions)
        // Every reader refuses a file without points, so the box exists; a mesh is described by its vertices.
        guard let box = summary.mesh?.boundingBox ?? cloud.boundingBox else { throw ValidationError("\(url.path): no points") }
        let points = summary.mesh?.vertices.count ?? cloud.count
        if json {
            var object: [String: Any] = [
                "file": url.path,
                "format": summary.format.rawValue,
                "encoding": summary.encoding,
                "points": points,
                "properties": summary.properties,
                "bbox_min": [box.min.x, box.min.y, box.min.z].map(Double.init),
                "bbox_max": [box.max.x, box.max.y, box.max.z].map(Double.init),
                "has_normals": cloud.normals != nil,
                "has_colors": cloud.colors != nil,
                "scalars": cloud.scalars.keys.sorted(),
            ]
            if let grid = cloud.grid { object["grid"] = ["width": grid.width, "height": grid.height] }
            if let mesh = summary.mesh {
                object["faces"] = mesh.triangles.count
                object["surface_points"] = cloud.count
            }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("file:       \(url.path)")
            print("format:     \(summary.encoding)")
            print("points:     \(points)")
            if let mesh = summary.mesh { print("faces:      \(mesh.triangles.count)") }
            print("properties: \(summary.properties.joined(separator: ", "))")
            print("bbox min:   \(box.min.x) \(box.min.y) \(box.min.z)")
            print("bbox max:   \(box.max.x) \(box.max.y) \(box.max.z)")
            for note in summary.notes { print("note:       \(note)") }
        }
    }

    /// `pointad info` alone: what the speed of this machine depends on, and the BLAS warning.
    private func describeMachine() throws {
        let lines = ComputeEnvironment.summary(), warning = BLASKernelCheck.current().warning
        if json {
            var object: [String: Any] = Dictionary(uniqueKeysWithValues: lines.map { ($0.label.lowercased().replacingOccurrences(of: " ", with: "_"), $0.value) })
            object["blas_warning"] = warning ?? NSNull()
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
        } else {
            for line in lines { print("\(line.label):".padding(toLength: 17, withPad: " ", startingAt: 0) + line.value) }
            if let warning { print(warning) }
        }
    }

    private func listTensors(_ url: URL) throws {
        let (format, lines) = try TensorListing.list(url)
        if json {
            let object: [String: Any] = ["file": url.path, "format": format,
                                         "tensors": lines.map { ["name": $0.name, "dtype": $0.dtype, "shape": $0.shape] as [String: Any] }]
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
        } else {
            print("file:    \(url.path)")
            print("format:  \(format), \(lines.count) tensors")
            for l in lines { print("  \(l.name)  \(l.dtype)  \(l.shape)") }
        }
    }
}
