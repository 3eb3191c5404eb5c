import Foundation
import PointADSupport

/// A small line plot as inline SVG (ROC and PRO curves in `report.html`): axes with ticks from 0 to
/// the axis maximum, a grey chance diagonal when asked, one polyline per series and a legend.
struct CurvePlot {
    struct Series {
        var name: String
        var color: String
        var points: [SIMD2<Double>]
    }

    var title: String
    var xLabel: String
    var yLabel: String
    var xMaximum = 1.0
    var yMaximum = 1.0
    var diagonal = false
    var series: [Series]

    static let size = 300.0, left = 44.0, bottom = 40.0, top = 24.0, right = 12.0

    func svg() -> String {
        let e = HTMLPage.escape
        let width = Self.size, height = Self.size
        let plotWidth = width - Self.left - Self.right, plotHeight = height - Self.top - Self.bottom
        func x(_ v: Double) -> Double { Self.left + min(max(v / xMaximum, 0), 1) * plotWidth }
        func y(_ v: Double) -> Double { Self.top + (1 - min(max(v / yMaximum, 0), 1)) * plotHeight }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(e(title))\">"
        out += "<text x=\"\(f(width / 2))\" y=\"16\" text-anchor=\"middle\" font-size=\"13\">\(e(title))</text>"
        for k in 0...4 {
            let fx = Double(k) / 4 * xMaximum, fy = Double(k) / 4 * yMaximum
            out += "<line x1=\"\(f(x(fx)))\" y1=\"\(f(y(0)))\" x2=\"\(f(x(fx)))\" y2=\"\(f(y(yMaximum)))\" stroke=\"#eee\" />"
            out += "<line x1=\"\(f(x(0)))\" y1=\"\(f(y(fy)))\" x2=\"\(f(x(xMaximum)))\" y2=\"\(f(y(fy)))\" stroke=\"#eee\" />"
            out += "<text x=\"\(f(x(fx)))\" y=\"\(f(y(0) + 14))\" text-anchor=\"middle\" font-size=\"10\">\(Self.tick(fx))</text>"
            out += "<text x=\"\(f(x(0) - 4))\" y=\"\(f(y(fy) + 3))\" text-anchor=\"end\" font-size=\"10\">\(Self.tick(fy))</text>"
        }
        out += "<rect x=\"\(f(Self.left))\" y=\"\(f(Self.top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" fill=\"none\" stroke=\"#444\" />"
        out += "<text x=\"\(f(Self.left + plotWidth / 2))\" y=\"\(f(height - 6))\" text-anchor=\"middle\" font-size=\"11\">\(e(xLabel))</text>"
        out += "<text x=\"12\" y=\"\(f(Self.top + plotHeight / 2))\" text-anchor=\"middle\" font-size=\"11\" transform=\"rotate(-90 12 \(f(Self.top + plotHeight / 2)))\">\(e(yLabel))</text>"
        if diagonal {
            let end = min(xMaximum, yMaximum)
            out += "<line x1=\"\(f(x(0)))\" y1=\"\(f(y(0)))\" x2=\"\(f(x(end)))\" y2=\"\(f(y(end)))\" stroke=\"#bbb\" stroke-dasharray=\"4 3\" />"
        }
        for (i, s) in series.enumerated() where !s.points.isEmpty {
            // Clip to the x range: keep vertices up to the first one past the maximum.
            var kept: [SIMD2<Double>] = []
            for p in s.points {
                kept.append(p)
                if p.x > xMaximum { break }
            }
            let points = kept.map { "\(f(x($0.x))),\(f(y($0.y)))" }.joined(separator: " ")
            out += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(e(s.color))\" stroke-width=\"2\" />"
            let ly = Self.top + plotHeight - 10 - Double(i) * 14
            out += "<line x1=\"\(f(x(xMaximum) - 110))\" y1=\"\(f(ly - 4))\" x2=\"\(f(x(xMaximum) - 94))\" y2=\"\(f(ly - 4))\" stroke=\"\(e(s.color))\" stroke-width=\"2\" />"
            out += "<text x=\"\(f(x(xMaximum) - 90))\" y=\"\(f(ly))\" font-size=\"10\">\(e(s.name))</text>"
        }
        return out + "</svg>"
    }

    static func tick(_ v: Double) -> String {
        let s = String(format: "%.3f", v)
        var trimmed = s
        while trimmed.hasSuffix("0") { trimmed.removeLast() }
        if trimmed.hasSuffix(".") { trimmed.removeLast() }
        return trimmed
    }
}
