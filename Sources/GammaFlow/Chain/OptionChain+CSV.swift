import Foundation

/// The native chain CSV: a header row naming the columns, in any order, then
/// one row per option.
///
/// | column | required | meaning |
/// |---|---|---|
/// | `symbol` | yes | contract code, non-empty |
/// | `expiry` | yes | ISO-8601 instant with a zone: `2026-12-11T21:00:00Z`, `2026-12-11T16:00:00-05:00` |
/// | `strike` | yes | index points, finite, > 0 (a normal double) |
/// | `type` | yes | `C` or `P` (also `c`, `p`, `call`, `put`, any case) |
/// | `iv` | yes | implied vol as a decimal (0.18 = 18 vol), finite, > 0 |
/// | `open_interest` | yes | contracts, finite, >= 0 |
/// | `dealer_position` | no | signed contracts held by dealers (positive: long), finite |
/// | `multiplier` | no | underlying units per contract, finite, > 0 (default 100) |
///
/// Column names are matched without regard to case or surrounding spaces.
/// Other columns are ignored and reported back. Fields follow RFC 4180 as
/// ``CSVReader`` reads it (quotes, embedded commas and line breaks, CRLF,
/// blank lines skipped, fields trimmed of spaces and tabs); line numbers in
/// errors are the file's, 1-based.
extension OptionChain {
    /// The columns of the native chain CSV that a load requires.
    public static let csvRequiredColumns = ["symbol", "expiry", "strike", "type", "iv", "open_interest"]
    /// The columns of the native chain CSV that a load reads when present.
    public static let csvOptionalColumns = ["dealer_position", "multiplier"]

    /// Loads a native chain CSV file.
    ///
    /// - Parameters:
    ///   - path: the file; errors name it as given.
    ///   - valuationTime: the instant the chain is valued at (sets ``yearsToExpiry``).
    ///   - timeBasis: how time to expiry becomes years.
    ///   - underlying: the underlying's name stored on the chain.
    ///   - skipInvalid: drop bad rows (recording each in `skipped`) instead of
    ///     throwing on the first one. File-level problems always throw.
    /// - Returns: the chain in file order, the dropped rows, and the header's
    ///   columns that GammaFlow does not read.
    /// - Throws: ``ChainError`` naming the file, the 1-based line and the field.
    public static func load(
        csvAt path: String, valuationTime: Date, timeBasis: TimeBasis = .act365, underlying: String = "",
        skipInvalid: Bool = false
    ) throws -> (chain: OptionChain, skipped: SkippedRows, ignoredColumns: [String]) {
        var scanner = try ChainCSVScanner(path: path)
        return try load(
            scanner: &scanner, source: path, valuationTime: valuationTime,
            timeBasis: timeBasis, underlying: underlying, skipInvalid: skipInvalid)
    }

    /// Loads a native chain CSV from bytes (UTF-8); `source` names it in errors.
    public static func load(
        csv data: Data, source: String = "<data>", valuationTime: Date, timeBasis: TimeBasis = .act365,
        underlying: String = "", skipInvalid: Bool = false
    ) throws -> (chain: OptionChain, skipped: SkippedRows, ignoredColumns: [String]) {
        var scanner = try ChainCSVScanner(data: data, source: source)
        return try load(
            scanner: &scanner, source: source, valuationTime: valuationTime,
            timeBasis: timeBasis, underlying: underlying, skipInvalid: skipInvalid)
    }

    /// Loads a native chain CSV from text; `source` names it in errors.
    public static func load(
        csvText text: String, source: String = "<text>", valuationTime: Date, timeBasis: TimeBasis = .act365,
        underlying: String = "", skipInvalid: Bool = false
    ) throws -> (chain: OptionChain, skipped: SkippedRows, ignoredColumns: [String]) {
        try load(
            csv: Data(text.utf8), source: source, valuationTime: valuationTime, timeBasis: timeBasis,
            underlying: underlying, skipInvalid: skipInvalid)
    }

    /// The chain in the native CSV format: a header row
    /// `symbol,expiry,strike,type,iv,open_interest,multiplier` (plus
    /// `dealer_position` when the chain has positions), then one row per
    /// option in chain order. Numbers are printed in their shortest form that
    /// reads back to the same `Double`; expiries in UTC (`...Z`, to the
    /// microsecond). Loading the text gives back the same columns (symbols
    /// lose surrounding spaces, which the reader trims).
    public func csvText() -> String {
        let hasPositions = dealerPositions != nil
        var out = "symbol,expiry,strike,type,iv,open_interest,multiplier"
        out += hasPositions ? ",dealer_position\n" : "\n"
        out.reserveCapacity(count * 80 + 64)
        var lastExpiry: Date?
        var expiryText = ""
        for i in 0..<count {
            appendCSVField(&out, symbols[i])
            out.append(",")
            if expiries[i] != lastExpiry {  // chains are usually grouped by expiry
                lastExpiry = expiries[i]
                expiryText = ISO8601Timestamp.string(from: expiries[i])
            }
            out.append(expiryText)
            out.append(",")
            strikes[i].write(to: &out)
            out.append(kinds[i] == .call ? ",C," : ",P,")
            impliedVols[i].write(to: &out)
            out.append(",")
            openInterest[i].write(to: &out)
            out.append(",")
            multipliers[i].write(to: &out)
            if let positions = dealerPositions {
                out.append(",")
                positions[i].write(to: &out)
            }
            out.append("\n")
        }
        return out
    }
}

/// Appends `text`, quoted as RFC 4180 requires when it holds a comma, a
/// quote or a line break.
private func appendCSVField(_ out: inout String, _ text: String) {
    let needsQuotes = text.utf8.contains {
        $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r")
    }
    if needsQuotes {
        out.append("\"")
        out.append(text.replacingOccurrences(of: "\"", with: "\"\""))
        out.append("\"")
    } else {
        out.append(text)
    }
}

extension OptionChain {
    /// Column positions of a native chain CSV header.
    fileprivate struct CSVHeader {
        var symbol = 0, expiry = 0, strike = 0, type = 0, iv = 0, openInterest = 0
        var dealerPosition: Int?
        var multiplier: Int?
        var width = 0
        var ignored: [String] = []

        init(_ names: [String], line: Int, source: String) throws {
            var found: [String: Int] = [:]
            let known = Set(OptionChain.csvRequiredColumns + OptionChain.csvOptionalColumns)
            for (i, raw) in names.enumerated() {
                var name = raw
                if i == 0, name.hasPrefix("\u{FEFF}") { name.removeFirst() }  // a UTF-8 byte-order mark
                let key = name.trimmingCharacters(in: .whitespaces).lowercased()
                if known.contains(key) {
                    if found[key] != nil {
                        throw ChainError(source: source, line: line, field: key, kind: .duplicateColumn)
                    }
                    found[key] = i
                } else {
                    ignored.append(key.isEmpty ? "(unnamed column \(i + 1))" : name)
                }
            }
            for name in OptionChain.csvRequiredColumns where found[name] == nil {
                throw ChainError(source: source, line: line, field: name, kind: .missingColumn)
            }
            symbol = found["symbol"]!
            expiry = found["expiry"]!
            strike = found["strike"]!
            type = found["type"]!
            iv = found["iv"]!
            openInterest = found["open_interest"]!
            dealerPosition = found["dealer_position"]
            multiplier = found["multiplier"]
            width = names.count
        }

        /// The native column at field position `i`, or `nil` for an ignored column.
        func name(at i: Int) -> String? {
            let pairs: [(String, Int?)] = [
                ("symbol", symbol), ("expiry", expiry), ("strike", strike), ("type", type), ("iv", iv),
                ("open_interest", openInterest), ("dealer_position", dealerPosition), ("multiplier", multiplier),
            ]
            return pairs.first { $0.1 == i }?.0
        }
    }

    private static func load(
        scanner: inout ChainCSVScanner, source: String, valuationTime: Date, timeBasis: TimeBasis,
        underlying: String, skipInvalid: Bool
    ) throws -> (chain: OptionChain, skipped: SkippedRows, ignoredColumns: [String]) {
        guard scanner.next() else {
            throw ChainError(source: source, line: nil, field: nil, kind: .empty)
        }
        let header = try CSVHeader(
            (0..<scanner.fields.count).map { scanner.string($0) }, line: scanner.line, source: source)

        var symbols: [String] = []
        var strikes: [Double] = []
        var expiries: [Date] = []
        var kinds: [OptionKind] = []
        var vols: [Double] = []
        var openInterest: [Double] = []
        var positions: [Double] = []
        var multipliers: [Double] = []
        var skipped = SkippedRows()
        var rows = 0
        while scanner.next() {
            rows += 1
            do {
                let row = try parseRow(scanner, header: header, source: source)
                symbols.append(row.symbol)
                strikes.append(row.strike)
                expiries.append(row.expiry)
                kinds.append(row.kind)
                vols.append(row.iv)
                openInterest.append(row.openInterest)
                multipliers.append(row.multiplier)
                if let p = row.dealerPosition { positions.append(p) }
            } catch let error as ChainError where skipInvalid {
                skipped.errors.append(error)
            }
        }
        guard rows > 0 else { throw ChainError(source: source, line: nil, field: nil, kind: .empty) }

        let chain = try OptionChain(
            underlying: underlying, symbols: symbols, strikes: strikes, expiries: expiries, kinds: kinds,
            impliedVols: vols, openInterest: openInterest,
            dealerPositions: header.dealerPosition == nil ? nil : positions, multipliers: multipliers,
            valuationTime: valuationTime, timeBasis: timeBasis, source: source)
        return (chain, skipped, header.ignored)
    }

    fileprivate struct CSVRow {
        var symbol: String
        var expiry: Date
        var strike: Double
        var kind: OptionKind
        var iv: Double
        var openInterest: Double
        var dealerPosition: Double?
        var multiplier: Double
    }

    /// Parses and checks the scanner's current row; throws the first problem found.
    private static func parseRow(_ r: ChainCSVScanner, header h: CSVHeader, source: String) throws -> CSVRow {
        guard r.fields.count == h.width else {
            // Name the first missing column of a short row; a long row has no column to name.
            let missing = r.fields.count < h.width ? h.name(at: r.fields.count) : nil
            throw ChainError(
                source: source, line: r.line, field: missing, kind: .shortRow(expected: h.width, found: r.fields.count))
        }
        func invalid(_ field: String, _ index: Int, _ why: String) -> ChainError {
            ChainError(source: source, line: r.line, field: field, value: r.string(index), kind: .invalidValue(why))
        }
        func malformed(_ field: String, _ index: Int, _ expected: String) -> ChainError {
            ChainError(
                source: source, line: r.line, field: field, value: r.string(index), kind: .malformed(expected: expected)
            )
        }
        /// A finite Double, with the messages of ``CSVRecord/double(_:name:source:)``.
        func number(_ index: Int, _ field: String) throws -> Double {
            let x = r.withField(index) { bytes -> Double? in
                bytes.isEmpty ? nil : Double(String(decoding: bytes, as: UTF8.self))
            }
            guard let x else { throw malformed(field, index, "a decimal number") }
            guard x.isFinite else { throw invalid(field, index, "value must be finite") }
            return x
        }

        let symbol = r.string(h.symbol)
        if symbol.isEmpty { throw invalid("symbol", h.symbol, "symbol must not be empty") }

        let expiry: Date
        switch r.withField(h.expiry, { ISO8601Timestamp.parse(bytes: $0) }) {
        case .success(let d): expiry = d
        case .failure(.missingZone):
            throw invalid("expiry", h.expiry, "expiry has no time zone; append Z or an offset such as -05:00")
        case .failure(.malformed):
            throw malformed("expiry", h.expiry, "an ISO-8601 date-time with a zone, e.g. 2026-12-11T21:00:00Z")
        }

        let strike = try number(h.strike, "strike")
        if !(strike > 0) { throw invalid("strike", h.strike, "strike must be positive") }
        if strike < .leastNormalMagnitude {
            throw invalid("strike", h.strike, "strike must be at least 2.2250738585072014e-308 (a normal double)")
        }

        let kind: OptionKind
        switch r.withField(h.type, optionKind(_:)) {
        case .some(let k): kind = k
        case .none: throw malformed("type", h.type, "C or P (or call/put)")
        }

        let iv = try number(h.iv, "iv")
        if !(iv > 0) { throw invalid("iv", h.iv, "implied vol must be positive (a decimal: 0.18 = 18 vol)") }

        let oi = try number(h.openInterest, "open_interest")
        if oi < 0 { throw invalid("open_interest", h.openInterest, "open interest must not be negative") }

        var position: Double?
        if let i = h.dealerPosition { position = try number(i, "dealer_position") }

        var multiplier = 100.0
        if let i = h.multiplier {
            multiplier = try number(i, "multiplier")
            if !(multiplier > 0) { throw invalid("multiplier", i, "multiplier must be positive") }
        }
        return CSVRow(
            symbol: symbol, expiry: expiry, strike: strike, kind: kind, iv: iv, openInterest: oi,
            dealerPosition: position, multiplier: multiplier)
    }

    /// `C`/`P`/`call`/`put` in any case.
    private static func optionKind(_ b: UnsafeBufferPointer<UInt8>) -> OptionKind? {
        func lower(_ c: UInt8) -> UInt8 { c | 0x20 }
        switch b.count {
        case 1:
            return lower(b[0]) == UInt8(ascii: "c") ? .call : lower(b[0]) == UInt8(ascii: "p") ? .put : nil
        case 3:
            let ok =
                lower(b[0]) == UInt8(ascii: "p") && lower(b[1]) == UInt8(ascii: "u") && lower(b[2]) == UInt8(ascii: "t")
            return ok ? .put : nil
        case 4:
            let ok =
                lower(b[0]) == UInt8(ascii: "c") && lower(b[1]) == UInt8(ascii: "a") && lower(b[2]) == UInt8(ascii: "l")
                && lower(b[3]) == UInt8(ascii: "l")
            return ok ? .call : nil
        default:
            return nil
        }
    }
}
