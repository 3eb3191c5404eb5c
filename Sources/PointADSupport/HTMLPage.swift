import Foundation

/// Pieces of the self-contained HTML reports (`report.html` of `score` and `eval`): escaping for
/// text and attributes, relative links that survive odd file names, and one page skeleton with
/// inline CSS, so both reports look alike and open from a folder without a server.
public enum HTMLPage {
    /// Text and attribute values with &, <, >, " and ' escaped.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A relative path for `href`/`src`: each component percent-encoded (spaces, #, ?, % and the
    /// like), then escaped for the attribute.
    public static func link(_ relativePath: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "#?%;:")
        let encoded = relativePath.split(separator: "/", omittingEmptySubsequences: false).map {
            String($0).addingPercentEncoding(withAllowedCharacters: allowed) ?? String($0)
        }.joined(separator: "/")
        return escape(encoded)
    }

    /// A whole page: `title` (escaped here) and `body` (already HTML).
    public static func document(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>\(escape(title))</title>
        <style>
        \(style)
        </style>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }

    static let style = """
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5em auto; max-width: 1200px; padding: 0 1em; color: #222; }
        h1 { font-size: 1.5em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ccc; } h3 { font-size: 1.05em; }
        table { border-collapse: collapse; margin: 0.5em 0 1em; }
        th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
        th { background: #f0f0f0; } td.name, th.name { text-align: left; }
        .warning { background: #fff3cd; border: 1px solid #e0c060; padding: 0.5em 1em; }
        .note { color: #555; font-size: 0.9em; }
        .anomalous { color: #b00020; font-weight: bold; }
        figure { display: inline-block; margin: 0.4em; vertical-align: top; text-align: center; }
        figure img { max-width: 100%; border: 1px solid #ddd; }
        figcaption { font-size: 0.85em; color: #333; max-width: 380px; }
        img.sheet { max-width: 100%; }
        .curves svg { margin-right: 1em; border: 1px solid #ddd; background: #fff; }
        """
}
