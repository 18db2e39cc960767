import Foundation

/// One CSV record with the 1-based line it starts on.
public struct CSVRecord: Sendable {
    /// The 1-based line number in the source.
    public var line: Int
    /// The fields, unquoted (`""` inside quotes becomes `"`), surrounding
    /// whitespace trimmed.
    public var fields: [String]
}

/// A small RFC 4180 reader shared by every GammaFlow loader: quoted fields
/// with embedded commas and doubled quotes, LF or CRLF line ends, blank lines
/// skipped. It refuses binary input (NUL bytes) and invalid UTF-8 with a
/// ``ChainError`` naming the source.
public enum CSVReader {
    /// Reads and splits the file at `path`.
    public static func records(path: String) throws -> [CSVRecord] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ChainError(
                source: path, line: nil, field: nil,
                kind: .unreadable(
                    FileManager.default.fileExists(atPath: path) ? "permission or I/O error" : "no such file"))
        }
        return try records(data: data, source: path)
    }

    /// Splits `data` (UTF-8 text) into records; `source` names it in errors.
    public static func records(data: Data, source: String) throws -> [CSVRecord] {
        if data.contains(0) { throw ChainError(source: source, line: nil, field: nil, kind: .notText) }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ChainError(source: source, line: nil, field: nil, kind: .notText)
        }
        return records(text: text)
    }

    /// Splits text into records.
    public static func records(text: String) -> [CSVRecord] {
        var out: [CSVRecord] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var pendingQuote = false  // just saw a quote inside a quoted field
        func endField() {
            fields.append(String(field).trimmingCharacters(in: .whitespaces))
            field.removeAll(keepingCapacity: true)
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) {
                out.append(CSVRecord(line: recordLine, fields: fields))
            }
            fields.removeAll(keepingCapacity: true)
        }
        for c in text.unicodeScalars {
            if inQuotes {
                if pendingQuote {
                    pendingQuote = false
                    if c == "\"" {
                        field.append("\"")
                        continue
                    }
                    inQuotes = false  // the quote closed the field; handle c below
                } else if c == "\"" {
                    pendingQuote = true
                    continue
                } else {
                    if c == "\n" { line += 1 }
                    field.append(c)
                    continue
                }
            }
            switch c {
            case "\"" where field.isEmpty || String(field).allSatisfy(\.isWhitespace):
                field.removeAll()
                inQuotes = true
            case ",":
                endField()
            case "\r":
                continue
            case "\n":
                endRecord()
                line += 1
                recordLine = line
            default:
                field.append(c)
            }
        }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        return out
    }
}

extension CSVRecord {
    /// Parses field `index` as a finite Double, or throws a ``ChainError``
    /// naming `source`, this line and `name`.
    public func double(_ index: Int, name: String, source: String) throws -> Double {
        guard index < fields.count else {
            throw ChainError(
                source: source, line: line, field: name, kind: .shortRow(expected: index + 1, found: fields.count))
        }
        let text = fields[index]
        guard let x = Double(text), !text.isEmpty else {
            throw ChainError(
                source: source, line: line, field: name, value: text, kind: .malformed(expected: "a decimal number"))
        }
        guard x.isFinite else {
            throw ChainError(
                source: source, line: line, field: name, value: text, kind: .invalidValue("value must be finite"))
        }
        return x
    }
}
