import Foundation
import PointADSupport
import Testing
import TestSupport

/// The built binary answers --version and --help, and an unknown option fails with a usage error.
@Suite("pointad basics")
struct VersionAndHelpTests {
    @Test("--version prints the library's version")
    func version() throws {
        let r = try runPointad(["--version"])
        #expect(r.status == 0)
        #expect(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == PointADVersion.string)
    }

    @Test("--help lists the subcommands")
    func help() throws {
        let r = try runPointad(["--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("USAGE: pointad"))
    }

    @Test("an unknown option is a usage error (exit 64)")
    func unknownOption() throws {
        let r = try runPointad(["--no-such-option"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("no-such-option"))
    }
}
