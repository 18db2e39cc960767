extension CBOEQuoteData {
    /// Column positions of one side in a quotedata row.
    struct SideColumns {
        var symbol: Int, last: Int, bid: Int, ask: Int, volume: Int, iv: Int, delta: Int, gamma: Int
        var openInterest: Int
        var label: String

        static let call = SideColumns(
            symbol: 1, last: 2, bid: 4, ask: 5, volume: 6, iv: 7, delta: 8, gamma: 9, openInterest: 10,
            label: "calls")
        static let put = SideColumns(
            symbol: 12, last: 13, bid: 15, ask: 16, volume: 17, iv: 18, delta: 19, gamma: 20, openInterest: 21,
            label: "puts")
    }

    /// One side of a row, parsed and checked.
    struct Side {
        var symbol: String, root: String, strike: Double, iv: Double, oi: Double
        var gamma: Double, delta: Double, bid: Double, ask: Double, last: Double, volume: Double
    }

    /// Parses a data row and appends its call and put, or throws (appending
    /// nothing) on the first bad field.
    mutating func appendRow(_ record: CSVRecord, source: String, days: inout [String: ExpirationDay]) throws {
        let f = record.fields
        let width = Self.columnNames.count
        guard f.count >= width else {
            throw ChainError(
                source: source, line: record.line, field: nil, kind: .shortRow(expected: width, found: f.count))
        }
        if let extra = f[width...].first(where: { !$0.isEmpty }) {
            throw ChainError(
                source: source, line: record.line, field: nil, value: extra,
                kind: .malformed(expected: "at most \(width) fields (trailing empty fields are allowed)"))
        }
        // A file has a few dozen expiration dates; parse (and check the weekday of) each once.
        guard let day = days[f[0]] ?? ExpirationDay(cboe: Substring(f[0])) else {
            throw ChainError(
                source: source, line: record.line, field: "Expiration Date", value: f[0],
                kind: .malformed(expected: "a date like `Fri Jan 05 2024`"))
        }
        days[f[0]] = day
        let strike = try record.double(11, name: "Strike", source: source)
        guard strike >= .leastNormalMagnitude else {
            throw ChainError(
                source: source, line: record.line, field: "Strike", value: f[11],
                kind: .invalidValue("strike must be positive (at least 2.2e-308)"))
        }
        let call = try Self.side(record, .call, .call, strike: strike, source: source)
        let put = try Self.side(record, .put, .put, strike: strike, source: source)
        for (kind, s) in [(OptionKind.call, call), (.put, put)] {
            lines.append(record.line)
            symbols.append(s.symbol)
            roots.append(s.root)
            kinds.append(kind)
            expirationDays.append(day)
            strikes.append(strike)
            impliedVols.append(s.iv)
            openInterest.append(s.oi)
            vendorGamma.append(s.gamma)
            vendorDelta.append(s.delta)
            bid.append(s.bid)
            ask.append(s.ask)
            last.append(s.last)
            volume.append(s.volume)
        }
    }

    static func side(
        _ record: CSVRecord, _ kind: OptionKind, _ c: SideColumns, strike: Double, source: String
    ) throws -> Side {
        func name(_ column: String) -> String { "\(column) (\(c.label))" }
        func fail(_ field: String, _ value: String, _ kind: ChainError.Kind) -> ChainError {
            ChainError(source: source, line: record.line, field: field, value: value, kind: kind)
        }
        /// A number, or NaN when the field is empty or `-`.
        func optional(_ i: Int, _ column: String) throws -> Double {
            let text = record.fields[i]
            if text.isEmpty || text == "-" { return .nan }
            return try record.double(i, name: name(column), source: source)
        }
        let symbol = record.fields[c.symbol]
        let symbolField = kind == .call ? "Calls" : "Puts"
        guard let code = OptionCode(symbol) else {
            throw fail(symbolField, symbol, .malformed(expected: "a contract code like `SPXW240105C04700000`"))
        }
        guard code.kind == kind else {
            throw fail(
                symbolField, symbol, .invalidValue("the contract code is not a \(kind == .call ? "call" : "put")"))
        }
        guard abs(code.strike - strike) <= 1e-9 * strike else {
            throw fail(symbolField, symbol, .invalidValue("the contract code's strike differs from the Strike column"))
        }
        let iv = try optional(c.iv, "IV")
        if iv < 0 { throw fail(name("IV"), record.fields[c.iv], .invalidValue("implied vol must not be negative")) }
        let oi = try record.double(c.openInterest, name: name("Open Interest"), source: source)
        if oi < 0 {
            throw fail(
                name("Open Interest"), record.fields[c.openInterest],
                .invalidValue("open interest must not be negative"))
        }
        let gamma = try optional(c.gamma, "Gamma")
        if gamma < 0 { throw fail(name("Gamma"), record.fields[c.gamma], .invalidValue("gamma must not be negative")) }
        return Side(
            symbol: symbol, root: String(code.root), strike: strike, iv: iv, oi: oi, gamma: gamma,
            delta: try optional(c.delta, "Delta"), bid: try optional(c.bid, "Bid"), ask: try optional(c.ask, "Ask"),
            last: try optional(c.last, "Last Sale"), volume: try optional(c.volume, "Volume"))
    }
}

/// The parts of an OSI contract code `ROOT YYMMDD C|P SSSSSSSS` (strike in
/// thousandths), written without spaces as Cboe does (`SPXW240105C04700000`).
struct OptionCode {
    var root: Substring
    var kind: OptionKind
    var strike: Double

    init?(_ code: String) {
        let u = Array(code.utf8)
        guard u.count > 15 else { return nil }
        let n = u.count
        let digit = { (c: UInt8) in c >= 48 && c <= 57 }
        guard u[(n - 15)..<(n - 9)].allSatisfy(digit), u[(n - 8)...].allSatisfy(digit) else { return nil }
        switch u[n - 9] {
        case UInt8(ascii: "C"): kind = .call
        case UInt8(ascii: "P"): kind = .put
        default: return nil
        }
        let rootBytes = u[..<(n - 15)]
        guard rootBytes.allSatisfy({ ($0 >= 65 && $0 <= 90) || digit($0) }) else { return nil }
        root = code.prefix(n - 15)  // ASCII throughout, so characters are bytes
        var thousandths = 0
        for c in u[(n - 8)...] { thousandths = thousandths * 10 + Int(c - 48) }
        strike = Double(thousandths) / 1000
    }
}
