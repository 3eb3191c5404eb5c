import Foundation

/// A minimal safetensors reader for the small metrics fixture (F32 and I32 only). The CLIP module's
/// `SafetensorsFile` is the real reader; this one keeps the metrics tests independent of it.
struct FixtureTensors {
    let header: [String: Any]
    let payload: Data

    init(_ url: URL) throws {
        let data = try Data(contentsOf: url)
        let length = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + length))) as! [String: Any]
        payload = data.subdata(in: (8 + length)..<data.count)
    }

    private func bytes(_ name: String, dtype: String) -> (Data, [Int]) {
        let entry = header[name] as! [String: Any]
        precondition(entry["dtype"] as! String == dtype, "\(name) is \(entry["dtype"]!), expected \(dtype)")
        let offsets = entry["data_offsets"] as! [Int]
        return (payload.subdata(in: offsets[0]..<offsets[1]), entry["shape"] as! [Int])
    }

    func floats(_ name: String) -> (values: [Float], shape: [Int]) {
        let (data, shape) = bytes(name, dtype: "F32")
        return (data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }, shape)
    }

    func ints(_ name: String) -> (values: [Int32], shape: [Int]) {
        let (data, shape) = bytes(name, dtype: "I32")
        return (data.withUnsafeBytes { Array($0.bindMemory(to: Int32.self)) }, shape)
    }
}
