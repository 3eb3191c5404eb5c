import Foundation
import Testing
@testable import PointClouds

/// The fast decimal parser against the C library (strtof/strtod), which is the reference.
@Suite struct NumberParserTests {
    let parser = NumberParser()

    func parse(_ s: String) -> (Float?, Double?) {
        let bytes = Array(s.utf8)
        return bytes.withUnsafeBufferPointer { (parser.parseFloat($0.baseAddress!, $0.count), parser.parseDouble($0.baseAddress!, $0.count)) }
    }

    func reference(_ s: String) -> (Float, Double) { (strtof(s, nil), strtod(s, nil)) }

    @Test func randomTokensMatchStrtod() {
        var rng = SplitMix64(seed: 42)
        var tokens: [String] = []
        for _ in 0..<20_000 {
            let f = Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &rng))
            if f.isFinite { tokens.append(f.description) }
            let d = Double.random(in: -1e3...1e3, using: &rng)
            tokens.append(d.description)
            tokens.append(String(format: "%.\(Int.random(in: 0...12, using: &rng))f", d))
            tokens.append(String(format: "%.\(Int.random(in: 0...20, using: &rng))e", d * pow(10, Double(Int.random(in: -40...40, using: &rng)))))
            tokens.append(String(Int.random(in: -100_000_000...100_000_000, using: &rng)))
        }
        tokens += ["0", "-0", "+1", "1e0", "1E+2", "0.000000000000000000001", "123456789012345678901234", "3.4028235e38",
                   "3.4028236e38", "1e39", "1.17549435e-38", "1e-45", "7e-46", "nan", "-inf", "inf", "0x1p3", ".5", "5.",
                   "16777217", "16777216.5", "0.1", "9007199254740993", "1.00000005960464477539062500001"]
        for t in tokens {
            let (f, d) = parse(t)
            let (rf, rd) = reference(t)
            #expect(f?.bitPattern == rf.bitPattern || (f?.isNaN == true && rf.isNaN), "float \(t)")
            #expect(d?.bitPattern == rd.bitPattern || (d?.isNaN == true && rd.isNaN), "double \(t)")
        }
    }

    @Test func rejectsNonNumbers() {
        for t in ["", "-", "+", ".", "e5", "1e", "1e+", "abc", "1.2.3", "1,5", "--1", "0x", "1x", "12abc"] {
            let (f, d) = parse(t)
            #expect(f == nil && d == nil, "\(t)")
        }
    }
}
