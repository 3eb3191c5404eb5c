import Foundation
import Testing
import TestSupport
@testable import PointADSupport

/// A writer killed between creating its temporary and the rename (kill -9 during a feature-cache
/// build) left `.name.tmp-PID-N` behind forever; the next atomic write into the folder removes
/// those whose process is gone, and nothing else.
@Suite struct StaleTemporariesTests {
    /// A process id that is certainly not running: a child that has exited and been reaped.
    static func deadProcessID() throws -> pid_t {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    @Test func namesAreParsedStrictly() {
        #expect(StaleTemporaries.writerProcess(".features.cache.tmp-4242-123456") == 4242)
        #expect(StaleTemporaries.writerProcess(".a.ply.tmp-7-0") == 7)
        for name in ["features.cache.tmp-4242-1", ".tmp-4242-1", ".a.tmp-4242", ".a.tmp-42x-1", ".a.tmp-42-1-2", ".a.tmp--1", ".a.tmp-0-1", "a.ply"] {
            #expect(StaleTemporaries.writerProcess(name) == nil, "\(name)")
        }
    }

    @Test func deadWritersTemporariesGoLiveOnesAndOtherFilesStay() throws {
        let dir = try TestPaths.temporaryDirectory("stale-temporaries")
        defer { try? FileManager.default.removeItem(at: dir) }
        let dead = try Self.deadProcessID()
        let stale = ".features.cache.tmp-\(dead)-99"
        let live = ".features.cache.tmp-\(getppid())-98"      // our parent is alive
        let unrelated = [".hidden", "result.ply", ".x.tmp-\(dead)-notanumber", "notes.tmp-\(dead)-1"]
        for name in [stale, live] + unrelated { try Data("x".utf8).write(to: dir.appendingPathComponent(name)) }
        #expect(StaleTemporaries.sweep(dir) == [stale])
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(left == ([live] + unrelated).sorted())
    }

    @Test func theNextAtomicWriteCleansTheFolder() throws {
        let dir = try TestPaths.temporaryDirectory("stale-temporaries-write")
        defer { try? FileManager.default.removeItem(at: dir) }
        let stale = ".out.json.tmp-\(try Self.deadProcessID())-5"
        try Data(count: 1000).write(to: dir.appendingPathComponent(stale))
        try AtomicFile.write("{}", to: dir.appendingPathComponent("out.json"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.json"])
    }
}
