import Foundation

/// A problem found while loading or building an option chain (or a trade
/// file). It names the source, the line and the field so that the person who
/// owns the file can fix it.
public struct ChainError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Hashable {
        /// The file could not be read.
        case unreadable(String)
        /// The file is empty or holds no data rows.
        case empty
        /// The file is not text (e.g. contains NUL bytes or invalid UTF-8).
        case notText
        /// A required column is missing from the header.
        case missingColumn
        /// The header names a column twice.
        case duplicateColumn
        /// A row has fewer fields than the header.
        case shortRow(expected: Int, found: Int)
        /// A field does not parse as the expected kind of value.
        case malformed(expected: String)
        /// A field parses but its value is not allowed (e.g. a negative strike).
        case invalidValue(String)
    }

    /// The file (or source label) the problem is in.
    public var source: String
    /// The 1-based line number, or `nil` for file-level problems.
    public var line: Int?
    /// The field (column name), or `nil` when the whole row or file is at fault.
    public var field: String?
    /// The offending text, shortened, when there is one.
    public var value: String?
    /// What went wrong.
    public var kind: Kind

    /// Creates an error.
    public init(source: String, line: Int?, field: String?, value: String? = nil, kind: Kind) {
        self.source = source
        self.line = line
        self.field = field
        self.value = value.map { $0.count > 40 ? String($0.prefix(40)) + "..." : $0 }
        self.kind = kind
    }

    /// One line, e.g. `chain.csv:12: field 'iv': expected a decimal number, found "abc"`.
    public var description: String {
        var s = source
        if let line { s += ":\(line)" }
        s += ": "
        if let field { s += "field '\(field)': " }
        switch kind {
        case .unreadable(let why): s += "cannot read the file (\(why))"
        case .empty: s += "the file holds no data rows"
        case .notText: s += "the file is not text (binary data or invalid UTF-8)"
        case .missingColumn: s += "required column is missing from the header"
        case .duplicateColumn: s += "column appears twice in the header"
        case .shortRow(let expected, let found): s += "row has \(found) fields, the header has \(expected)"
        case .malformed(let expected): s += "expected \(expected)"
        case .invalidValue(let why): s += why
        }
        if let value { s += ", found \"\(value)\"" }
        return s
    }
}

extension ChainError {
    /// The bytes of the file at `path`, or a ``ChainError`` of kind
    /// ``Kind/unreadable(_:)`` naming it (no such file, or a permission or
    /// I/O error). Every loader reads its file through this.
    public static func readFile(_ path: String) throws(ChainError) -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ChainError(
                source: path, line: nil, field: nil,
                kind: .unreadable(
                    FileManager.default.fileExists(atPath: path) ? "permission or I/O error" : "no such file"))
        }
    }
}

/// Rows that a lenient load dropped, with the reason for each.
public struct SkippedRows: Sendable, Hashable {
    /// Every problem that made a row be dropped, in file order.
    public var errors: [ChainError] = []
    /// The number of dropped rows.
    public var count: Int { errors.count }
    /// Creates an empty record.
    public init() {}
}
