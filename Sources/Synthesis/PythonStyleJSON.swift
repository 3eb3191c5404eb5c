/// A JSON value rendered the way Python's `json.dumps(value, indent=2, sort_keys=True)` writes it
/// (what transformers uses for `config.json`), so files made here look like Hugging Face's own.
/// Numbers are kept as the exact text to print (`1e-05`, `0.02`, `1.0`) since Python's float
/// formatting is not Swift's.
indirect enum PythonStyleJSON {
    case number(String)
    case string(String)
    case bool(Bool)
    case array([PythonStyleJSON])
    case object([String: PythonStyleJSON])

    static func int(_ value: Int) -> PythonStyleJSON { .number(String(value)) }

    /// The text, with a trailing newline as transformers writes it.
    var document: String { render(indent: 0) + "\n" }

    func render(indent: Int) -> String {
        let inner = String(repeating: " ", count: indent + 2), outer = String(repeating: " ", count: indent)
        switch self {
        case let .number(text): return text
        case let .string(text): return quoted(text)
        case let .bool(value): return value ? "true" : "false"
        case let .array(items):
            if items.isEmpty { return "[]" }
            return "[\n" + items.map { inner + $0.render(indent: indent + 2) }.joined(separator: ",\n") + "\n\(outer)]"
        case let .object(members):
            if members.isEmpty { return "{}" }
            let lines = members.keys.sorted(by: pythonOrder).map { key in
                inner + quoted(key) + ": " + members[key]!.render(indent: indent + 2)
            }
            return "{\n" + lines.joined(separator: ",\n") + "\n\(outer)}"
        }
    }

    /// Python sorts strings by code point.
    private func pythonOrder(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
    }

    /// A JSON string literal, non-ASCII escaped as Python's default `ensure_ascii=True` does.
    private func quoted(_ text: String) -> String {
        var out = "\""
        for unit in text.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x20...0x7E: out.unicodeScalars.append(UnicodeScalar(unit)!)
            default: out += "\\u" + String(unit, radix: 16).leftPadded(to: 4)
            }
        }
        return out + "\""
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
