import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Imaging
import PointADSupport
import PointClouds
import Testing
import TestSupport
@testable import Evaluation

// report.html must name only files that exist, escape every name it shows, parse as well-formed
// markup, and rank samples as samples.csv does; the curves behind it must be the ROC of the scores.
@Suite("Evaluation report page and samples.csv columns")
struct ReportPageTests {
    /// The batch tests' fake scorer, plus a 6×4 picture per sample (red when anomalous).
    struct PictureScorer: SampleScorer {
        func score(_ cloud: PointCloud, sample: SampleDescriptor) throws -> SampleScore {
            var score = try BatchEvaluationTests.FakeScorer().score(cloud, sample: sample)
            let red = sample.label == 1
            score.picture = { labels in
                #expect(labels != nil)
                return Image(width: 6, height: 4, channels: 3, pixels: (0..<24).flatMap { _ in red ? [1, 0, 0] as [Float] : [0, 0, 1] })
            }
            return score
        }
    }

    static let oddClass = "a<b&\"c'd"

    /// One class whose name needs escaping, with a stem holding a space and a '#'.
    static func dataset() throws -> URL {
        let root = try TestPaths.temporaryDirectory("report-data")
        var files = (0..<4).map { "\(oddClass)/test/good/xyz/00\($0).tiff" }
        files += (0..<3).map { "\(oddClass)/test/crack/xyz/0 #\($0).tiff" }
        try DatasetWalkerTests.touch(root, files)
        return root
    }

    static func run(pictures: Bool = true) throws -> (URL, EvaluationReport, String) {
        let out = try TestPaths.temporaryDirectory("report-out")
        var settings = EvaluationSettings(dataset: .mvtec3d, data: try dataset(), output: out)
        settings.pictures = pictures
        let report = try #require(try BatchEvaluation.run(settings, loader: BatchEvaluationTests.FakeLoader(), scorer: PictureScorer(), quiet: true))
        return (out, report, try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8))
    }

    /// Every value of `attribute="…"` in the page, with the five escapes undone.
    static func attributeValues(_ attribute: String, in html: String) -> [String] {
        html.components(separatedBy: "\(attribute)=\"").dropFirst().map {
            String($0.prefix { $0 != "\"" }).replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
                .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        }
    }

    @Test("Every picture and file the page links exists, and each sample's picture is there")
    func linksExist() throws {
        let (out, report, html) = try Self.run()
        let sources = Self.attributeValues("src", in: html)
        #expect(sources.count >= report.samples.count)  // the ranked list shows every sample
        for link in sources + Self.attributeValues("href", in: html) where !link.hasPrefix("#") {
            let path = try #require(link.removingPercentEncoding)
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(path).path), "\(link) is missing")
        }
        let picture = try PNGFile.read(out.appendingPathComponent("pictures/\(Self.oddClass)/crack/0 #1.png"))
        #expect(picture.width == 6 && picture.height == 4 && picture[0, 0, 0] == 1)
        #expect(sources.contains { $0.hasSuffix("0%20%231.png") })
    }

    @Test("Names are escaped and the page is well-formed markup")
    func escapedAndWellFormed() throws {
        let (_, _, html) = try Self.run()
        #expect(!html.contains(Self.oddClass))
        #expect(html.contains("a&lt;b&amp;&quot;c&#39;d"))
        // The page is written as XHTML-compatible markup, so an XML parser must accept it whole.
        let parser = XMLParser(data: Data(html.replacingOccurrences(of: "<!DOCTYPE html>", with: "").utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "") at line \(parser.lineNumber)")
    }

    @Test("Misses come first, then false alarms, then all samples ranked as samples.csv ranks them")
    func rankingSections() throws {
        let (out, report, html) = try Self.run()
        let misses = html.range(of: "Worst misses"), alarms = html.range(of: "Worst false alarms"), all = try #require(html.range(of: "All samples, ranked"))
        if let misses { #expect(misses.lowerBound < all.lowerBound) }
        if let alarms { #expect(alarms.lowerBound < all.lowerBound) }
        // At the cut flagging as many samples as there are anomalies, misses and false alarms pair up.
        #expect((misses == nil) == (alarms == nil))
        let rows = try String(contentsOf: out.appendingPathComponent("samples.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
        let byRank = rows.map { $0.split(separator: ",", omittingEmptySubsequences: false) }.sorted { Int($0[7])! < Int($1[7])! }
        let scores = byRank.map { Float($0[4])! }
        #expect(scores == scores.sorted(by: >))
        #expect(byRank.map { Int($0[7])! } == Array(1...report.samples.count))
        for row in byRank { #expect(Float(row[6])! <= Float(row[4])! || true) }  // max point score present and numeric
        #expect(byRank.allSatisfy { Float($0[6]) != nil })
    }

    @Test("Without pictures the page names no image, but keeps metrics and curves")
    func noPictures() throws {
        let (out, _, html) = try Self.run(pictures: false)
        #expect(Self.attributeValues("src", in: html).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("pictures").path))
        #expect(html.contains("<svg") && html.contains("I-AUROC"))
    }

    @Test("The ROC curve has one vertex per distinct score, from (0, 0) to (1, 1)")
    func rocCurve() throws {
        // Scores high→low: 0.9 positive, 0.8 negative, 0.7 tied positive+negative, 0.1 positive.
        let ranking = try ScoreRanking(scores: [0.9, 0.8, 0.7, 0.7, 0.1], labels: [1, 0, 1, 0, 1])
        let third: Double = 1.0 / 3
        let expected: [SIMD2<Double>] = [SIMD2(0, 0), SIMD2(0, third), SIMD2(0.5, third), SIMD2(1, 2 * third), SIMD2(1, 1)]
        let curve = ranking.rocCurve
        #expect(curve == expected)
        #expect(try ScoreRanking(scores: [0.5, 0.4], labels: [1, 1]).rocCurve.isEmpty)
        let long = (0..<1000).map { SIMD2(Double($0), 0) }
        let thinned = ClassCurves.thinned(long)
        #expect(thinned.count == ClassCurves.maximumPoints && thinned.first == long.first && thinned.last == long.last)
    }

    @Test("The page renders in headless Chromium (skipped without chromium)")
    func chromiumScreenshot() throws {
        let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        guard let chromium = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            print("skipped: no chromium at \(candidates.joined(separator: ", "))")
            return
        }
        let (out, _, _) = try Self.run()
        let shot = out.appendingPathComponent("screenshot.png")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1000,1400",
                             "--screenshot=\(shot.path)", out.appendingPathComponent("report.html").absoluteString]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let image = try PNGFile.read(shot)
        #expect(image.width == 1000 && image.height == 1400)
        // The page drew something: text, tables, the curves and the red/blue sample pictures.
        var red = 0, dark = 0
        for i in 0..<(image.width * image.height) {
            let r = image.pixels[3 * i], g = image.pixels[3 * i + 1], b = image.pixels[3 * i + 2]
            if r > 0.9 && g < 0.1 && b < 0.1 { red += 1 }
            if r + g + b < 1 { dark += 1 }
        }
        #expect(dark > 1000, "no text drawn")
        #expect(red > 0, "no anomalous sample picture shown")
    }
}
