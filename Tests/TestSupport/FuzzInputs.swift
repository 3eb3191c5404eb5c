import Foundation

/// The inputs Scripts/fuzz.sh keeps, Fixtures/fuzz/seeds and Fixtures/fuzz/crashers, as
/// ("folder/name", bytes); the first byte picks the reader (see Scripts/fuzz/FuzzReaders.swift).
public enum FuzzInputs {
    public static func load() throws -> [(String, [UInt8])] {
        var result: [(String, [UInt8])] = []
        for folder in ["seeds", "crashers"] {
            let directory = TestPaths.fixture("fuzz/\(folder)")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for name in names.sorted() where !name.hasPrefix(".") {
                result.append(("\(folder)/\(name)", Array(try Data(contentsOf: directory.appendingPathComponent(name)))))
            }
        }
        return result
    }
}
