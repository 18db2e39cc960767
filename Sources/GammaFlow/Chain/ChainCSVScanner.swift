import Foundation

/// The byte-level RFC 4180 scanner behind ``CSVReader`` and the chain
/// loader (quoted fields with embedded commas, line breaks and doubled
/// quotes; LF or CRLF; blank lines skipped; fields trimmed of surrounding
/// spaces and tabs; line numbers counted in the file), but it hands out one
/// record at a time as byte ranges in a reused buffer instead of building a
/// `String` per field, so that 100k rows load in tens of milliseconds.
struct ChainCSVScanner {
    /// The input, validated as UTF-8 without NUL bytes.
    private let text: String
    /// The current record's unquoted bytes, fields back to back.
    private(set) var recordBytes: [UInt8] = []
    /// The current record's fields as ranges into ``recordBytes`` (trimmed).
    private(set) var fields: [Range<Int>] = []
    /// The 1-based line the current record starts on.
    private(set) var line = 0
    private var position = 0
    private var nextLine = 1

    /// Checks `data` and prepares to scan it; `source` names it in errors.
    /// - Throws: ``ChainError`` `.notText` for NUL bytes or invalid UTF-8.
    init(data: Data, source: String) throws {
        let hasNUL = data.withUnsafeBytes { raw in
            raw.count > 0 && memchr(raw.baseAddress!, 0, raw.count) != nil
        }
        guard !hasNUL, let text = String(validating: data, as: UTF8.self) else {
            throw ChainError(source: source, line: nil, field: nil, kind: .notText)
        }
        self.text = text
        recordBytes.reserveCapacity(256)
        fields.reserveCapacity(16)
    }

    /// Prepares to scan text that is already a Swift string (valid UTF-8).
    init(validatedText text: String) {
        self.text = text
        recordBytes.reserveCapacity(256)
        fields.reserveCapacity(16)
    }

    /// Every remaining record, materialised.
    mutating func allRecords() -> [CSVRecord] {
        var out: [CSVRecord] = []
        while next() {
            out.append(CSVRecord(line: line, fields: (0..<fields.count).map { string($0) }))
        }
        return out
    }

    /// Reads the file at `path` and prepares to scan it.
    /// - Throws: ``ChainError`` `.unreadable` or `.notText`, naming `path`.
    init(path: String) throws {
        let data = try ChainError.readFile(path)
        try self.init(data: data, source: path)
    }

    /// Moves to the next non-blank record; false at the end of the input.
    mutating func next() -> Bool {
        var utf8 = text.utf8
        if let found = utf8.withContiguousStorageIfAvailable({ scan($0) }) { return found }
        // Bridged or foreign strings: make them native and contiguous once.
        var copy = text
        copy.makeContiguousUTF8()
        utf8 = copy.utf8
        return utf8.withContiguousStorageIfAvailable { scan($0) } ?? false
    }

    /// The bytes of field `i` of the current record.
    @inline(__always)
    func withField<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        recordBytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[fields[i]])) }
    }

    /// Field `i` of the current record as a String.
    func string(_ i: Int) -> String { withField(i) { String(decoding: $0, as: UTF8.self) } }

    private mutating func scan(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        while position < b.count {
            recordBytes.removeAll(keepingCapacity: true)
            fields.removeAll(keepingCapacity: true)
            line = nextLine
            var fieldStart = 0
            var inQuotes = false
            var pendingQuote = false  // just saw a quote inside a quoted field
            var ended = false

            func endField() {
                var lo = fieldStart, hi = recordBytes.count
                while lo < hi && isBlank(recordBytes[lo]) { lo += 1 }
                while hi > lo && isBlank(recordBytes[hi - 1]) { hi -= 1 }
                fields.append(lo..<hi)
                fieldStart = recordBytes.count
            }

            while position < b.count {
                let c = b[position]
                position += 1
                if inQuotes {
                    if pendingQuote {
                        pendingQuote = false
                        if c == quote {
                            recordBytes.append(quote)
                            continue
                        }
                        inQuotes = false  // the quote closed the field; handle c below
                    } else if c == quote {
                        pendingQuote = true
                        continue
                    } else {
                        if c == lf { nextLine += 1 }
                        recordBytes.append(c)
                        continue
                    }
                }
                if c == quote && recordBytes[fieldStart...].allSatisfy(isBlank) {
                    recordBytes.removeSubrange(fieldStart...)
                    inQuotes = true
                } else if c == comma {
                    endField()
                } else if c == cr {
                    continue
                } else if c == lf {
                    nextLine += 1
                    ended = true
                    break
                } else {
                    recordBytes.append(c)
                }
            }
            if !ended && recordBytes.isEmpty && fields.isEmpty { return false }
            endField()
            if fields.count == 1 && fields[0].isEmpty { continue }  // a blank line
            return true
        }
        return false
    }
}

@inline(__always)
private func isBlank(_ c: UInt8) -> Bool { c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") }
