import Foundation
import Testing
import TestSupport
@testable import PointADSupport

/// Foundation's file errors reach the user as plain words naming the file, never as
/// "NSCocoaErrorDomain Code=4 … UserInfo=".
@Suite struct SystemErrorTextTests {
    @Test func foundationErrorsBecomePlainWordsWithThePath() throws {
        let dir = try TestPaths.temporaryDirectory("system-error-text")
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("none/deeper.json")
        var caught: (any Error)?
        do { _ = try Data(contentsOf: missing) } catch { caught = error }
        let error = try #require(caught)
        let mapped = try #require(SystemErrorText.userFacing(error) as? FileError)
        #expect(mapped.path == missing.path)
        #expect(mapped.problem.lowercased().contains("no such file"))
        #expect(!"\(mapped)".contains("NSCocoaErrorDomain") && !"\(mapped)".contains("UserInfo"))
    }

    @Test func codesWithoutAnUnderlyingErrorHaveWordsToo() {
        let error = NSError(domain: NSCocoaErrorDomain, code: 513, userInfo: [NSFilePathErrorKey: "/out/x.ply"])
        #expect("\(SystemErrorText.userFacing(error))" == "/out/x.ply: permission denied (cannot write)")
        let full = NSError(domain: NSCocoaErrorDomain, code: 640, userInfo: [:])
        #expect("\(SystemErrorText.userFacing(full))" == "file system: no space left on the device")
    }

    @Test func aFileInTheWayOfAFolderIsNamed() {
        var caught: (any Error)?
        do { try FileManager.default.createDirectory(atPath: "/dev/null/out", withIntermediateDirectories: true) } catch { caught = error }
        #expect(caught.map { SystemErrorText.describe($0) } == "/dev/null is a file, not a folder")
    }

    @Test func ourErrorsPassUnchanged() {
        let error = FileError("/a.ply", "empty file")
        #expect(SystemErrorText.userFacing(error) as? FileError == error)
    }
}
