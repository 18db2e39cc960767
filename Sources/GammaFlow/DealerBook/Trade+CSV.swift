import Foundation

/// The trades CSV: a header row naming the columns, in any order (matched
/// without regard to case or surrounding spaces), then one row per trade.
///
/// | column | required | meaning |
/// |---|---|---|
/// | `time` (or `timestamp`) | yes | ISO-8601 instant with a zone: `2024-01-05T14:31:07.250-05:00` |
/// | `symbol` (or `contract`) | yes | contract code, as in the chain's `symbol` column |
/// | `quantity` (or `qty`, `size`) | yes | contracts, finite, > 0 |
/// | `price` | yes | premium per unit of underlying (index points), finite, >= 0 |
/// | `side` | no* | the customer's side: `buy`/`sell` (also `b`/`s`, any case) |
/// | `bid`, `ask` | no* | quotes at the trade, for the quote rule when `side` is empty |
///
/// (*) Each row needs a `side` or both `bid` and `ask`. The dealer takes the
/// other side of the customer; see ``DealerBook/ingest(_:line:source:)`` for
/// the quote, midpoint and tick rules.
extension DealerBook {
    /// The columns a trades CSV must have (or their aliases).
    public static let tradesRequiredColumns = ["time", "symbol", "quantity", "price"]

    /// What a trades load did.
    public struct TradesReport: Sendable {
        /// Rows read and accepted (applied or unclassified).
        public var accepted = 0
        /// Rows dropped under `skipInvalid`, with their errors.
        public var skipped = SkippedRows()
    }

    /// Reads a trades CSV file and ingests it row by row.
    /// - Parameters:
    ///   - path: the trades CSV (format in `Docs/DealerBook.md`).
    ///   - skipInvalid: drop bad rows (recorded in the report) instead
    ///     of stopping at the first; file-level problems always throw.
    /// - Throws: ``ChainError`` naming the file, the 1-based line and the field.
    ///   Rows before a bad row stay applied.
    @discardableResult
    public mutating func ingestTrades(csvAt path: String, skipInvalid: Bool = false) throws(ChainError)
        -> TradesReport
    {
        let records: [CSVRecord]
        do { records = try CSVReader.records(path: path) } catch let e as ChainError { throw e } catch {
            throw ChainError(source: path, line: nil, field: nil, kind: .unreadable("\(error)"))
        }
        return try ingestTrades(records: records, source: path, skipInvalid: skipInvalid)
    }

    /// Ingests trades CSV text; `source` names it in errors.
    @discardableResult
    public mutating func ingestTrades(csvText text: String, source: String = "<trades>", skipInvalid: Bool = false)
        throws(ChainError) -> TradesReport
    {
        try ingestTrades(records: CSVReader.records(text: text), source: source, skipInvalid: skipInvalid)
    }

    mutating func ingestTrades(records: [CSVRecord], source: String, skipInvalid: Bool) throws(ChainError)
        -> TradesReport
    {
        guard let header = records.first else { throw ChainError(source: source, line: nil, field: nil, kind: .empty) }
        let names = header.fields.map { $0.lowercased().trimmingCharacters(in: .whitespaces) }
        var seen = Set<String>()
        for n in names where !n.isEmpty {
            if !seen.insert(n).inserted {
                throw ChainError(source: source, line: header.line, field: n, kind: .duplicateColumn)
            }
        }
        func column(_ aliases: [String]) -> Int? { names.firstIndex { aliases.contains($0) } }
        func required(_ aliases: [String]) throws(ChainError) -> Int {
            guard let c = column(aliases) else {
                throw ChainError(source: source, line: header.line, field: aliases[0], kind: .missingColumn)
            }
            return c
        }
        let cTime = try required(["time", "timestamp"])
        let cSymbol = try required(["symbol", "contract"])
        let cQty = try required(["quantity", "qty", "size"])
        let cPrice = try required(["price"])
        let cSide = column(["side"])
        let cBid = column(["bid"])
        let cAsk = column(["ask"])
        var report = TradesReport()
        for r in records.dropFirst() {
            do throws(ChainError) {
                let trade = try Self.trade(
                    r, source: source, columns: (cTime, cSymbol, cQty, cPrice, cSide, cBid, cAsk), width: names.count)
                try ingest(trade, line: r.line, source: source)
                report.accepted += 1
            } catch {
                guard skipInvalid else { throw error }
                report.skipped.errors.append(error)
            }
        }
        return report
    }

    static func trade(
        _ r: CSVRecord, source: String, columns c: (Int, Int, Int, Int, Int?, Int?, Int?), width: Int
    ) throws(ChainError) -> Trade {
        guard r.fields.count >= width else {
            throw ChainError(
                source: source, line: r.line, field: nil, kind: .shortRow(expected: width, found: r.fields.count))
        }
        func number(_ i: Int, _ name: String) throws(ChainError) -> Double {
            do { return try r.double(i, name: name, source: source) } catch let e as ChainError { throw e } catch {
                throw ChainError(
                    source: source, line: r.line, field: name, kind: .malformed(expected: "a decimal number"))
            }
        }
        func optionalNumber(_ i: Int?, _ name: String) throws(ChainError) -> Double? {
            guard let i, !r.fields[i].isEmpty else { return nil }
            return try number(i, name)
        }
        let timeText = r.fields[c.0]
        guard let time = ISO8601Timestamp.date(from: timeText) else {
            throw ChainError(
                source: source, line: r.line, field: "time", value: timeText,
                kind: .malformed(expected: "an ISO-8601 date-time with a zone, like 2024-01-05T14:31:07-05:00"))
        }
        let symbol = r.fields[c.1]
        let quantity = try number(c.2, "quantity")
        let price = try number(c.3, "price")
        var side: CustomerSide?
        if let cs = c.4, !r.fields[cs].isEmpty {
            switch r.fields[cs].lowercased() {
            case "buy", "b": side = .buy
            case "sell", "s": side = .sell
            default:
                throw ChainError(
                    source: source, line: r.line, field: "side", value: r.fields[cs],
                    kind: .malformed(expected: "buy or sell"))
            }
        }
        return Trade(
            time: time, symbol: symbol, quantity: quantity, price: price, side: side,
            bid: try optionalNumber(c.5, "bid"), ask: try optionalNumber(c.6, "ask"))
    }
}
