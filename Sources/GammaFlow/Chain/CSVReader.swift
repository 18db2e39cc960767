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
/// with embedded commas, line breaks and doubled quotes, LF or CRLF line
/// ends, blank lines skipped, fields trimmed of spaces and tabs. It refuses
/// binary input (NUL bytes) and invalid UTF-8 with a ``ChainError`` naming
/// the source. Large files should be scanned record by record (as the chain
/// loader does) rather than materialised as `[CSVRecord]`.
public enum CSVReader {
    /// Reads and splits the file at `path`.
    public static func records(path: String) throws -> [CSVRecord] {
        var scanner = try ChainCSVScanner(path: path)
        return scanner.allRecords()
    }

    /// Splits `data` (UTF-8 text) into records; `source` names it in errors.
    public static func records(data: Data, source: String) throws -> [CSVRecord] {
        var scanner = try ChainCSVScanner(data: data, source: source)
        return scanner.allRecords()
    }

    /// Splits text into records.
    public static func records(text: String) -> [CSVRecord] {
        var scanner = ChainCSVScanner(validatedText: text)
        return scanner.allRecords()
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
