import ArgumentParser
import Foundation
import GammaFlow

/// `gammaflow iv`: implied vols from option prices, with a status per option.
struct IVCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iv",
        abstract: "Solve Black-Scholes implied vols from option prices (Let's Be Rational), with a status per option.",
        discussion: """
            --prices FILE is a CSV with a header naming these columns (any order, extra columns ignored):
              symbol   contract code (free text)
              expiry   ISO-8601 instant with a zone (2024-01-19T16:00:00-05:00)
              strike   strike, index points
              type     C or P (call, put)
              price    option price, index points; or, instead, both
              bid,ask  quotes, whose mid is used (price wins when all three are present)
              iv       optional: a vendor's implied vol (decimal) to print beside the solved one
            Prints CSV on stdout: symbol,expiry,strike,type,price,years,iv,status[,vendor_iv,diff_vol_points].
            Statuses: ok, below_intrinsic, above_upper_bound, no_quote, expired (iv is 0 unless ok).
            The assumptions (spot, r, q, as-of, time basis, method) and the status counts go to stderr.
            """)

    @Option(help: "CSV of option prices (see the discussion for the columns).")
    var prices: String

    @OptionGroup var market: MarketOptions

    @Option(help: "Root finder: lets-be-rational (default) or newton-bisection.")
    var method: String = "lets-be-rational"

    func validate() throws {
        guard ImpliedVolatility.Method.allCases.contains(where: { $0.description == method }) else {
            throw ValidationError("--method must be lets-be-rational or newton-bisection, got '\(method)'")
        }
    }

    func run() throws {
        let table = try IVPriceTable(path: prices)
        let name = self.method
        let method = ImpliedVolatility.Method.allCases.first { $0.description == name }!
        let basis = market.timeBasis
        let years = table.expiries.map { basis.years(from: market.valuationTime, to: $0) }
        let text = IVCommand.report(
            symbols: table.symbols, expiries: table.expiries, strikes: table.strikes, kinds: table.kinds,
            prices: table.prices, years: years, vendorVols: table.vendorVols, market: market.market, method: method)
        print(text.table, terminator: "")
        var notes = [
            "# spot=\(market.spot) rate=\(market.rate) div_yield=\(market.divYield)",
            "# as_of=\(ISO8601Timestamp.string(from: market.valuationTime))\(market.valuationIsNow ? " (now)" : "")",
            "# time_basis=\(market.timeBasisName) method=\(method)",
            "# prices: \(table.priceSource)",
        ]
        notes.append(text.summary)
        FileHandle.standardError.write(Data((notes.joined(separator: "\n") + "\n").utf8))
    }

    /// Solves and formats columns of options: the CSV table and a one-line
    /// status summary. The CBOE importer can call this with its own columns.
    /// - Parameters:
    ///   - prices: option prices, index points (e.g. mid of bid and ask).
    ///   - years: time to expiry under the chosen basis.
    ///   - vendorVols: optional vendor IVs (decimals) to print beside ours.
    static func report(
        symbols: [String], expiries: [Date], strikes: [Double], kinds: [OptionKind], prices: [Double], years: [Double],
        vendorVols: [Double]?, market: MarketParameters, method: ImpliedVolatility.Method = .letsBeRational
    ) -> (table: String, summary: String) {
        let solved = ImpliedVolatility.solve(
            prices: prices, strikes: strikes, kinds: kinds, years: years, market: market, method: method)
        var out = "symbol,expiry,strike,type,price,years,iv,status"
        if vendorVols != nil { out += ",vendor_iv,diff_vol_points" }
        out += "\n"
        for i in prices.indices {
            out += "\(symbols[i]),\(ISO8601Timestamp.string(from: expiries[i])),\(strikes[i]),\(kinds[i]),"
            out += "\(prices[i]),\(years[i]),\(solved.vols[i]),\(solved.status[i])"
            if let vendor = vendorVols?[i] {
                let diff = solved.status[i] == .ok && vendor > 0 ? "\(100 * (solved.vols[i] - vendor))" : ""
                out += ",\(vendor),\(diff)"
            }
            out += "\n"
        }
        let counts = solved.statusCounts
        let summary =
            "# statuses: "
            + IVStatus.allCases.map { "\($0)=\(counts[$0] ?? 0)" }.joined(separator: " ")
            + " (of \(prices.count))"
        return (out, summary)
    }
}

/// The columns of an `iv --prices` CSV.
struct IVPriceTable {
    var symbols: [String] = []
    var expiries: [Date] = []
    var strikes: [Double] = []
    var kinds: [OptionKind] = []
    var prices: [Double] = []
    var vendorVols: [Double]?
    var priceSource = ""

    init(path: String) throws {
        let records = try CSVReader.records(path: path)
        guard let header = records.first, records.count > 1 else {
            throw ChainError(source: path, line: nil, field: nil, kind: .empty)
        }
        let names = header.fields.map { $0.lowercased() }
        func column(_ name: String, required: Bool = true) throws -> Int? {
            let hits = names.indices.filter { names[$0] == name }
            if hits.count > 1 { throw ChainError(source: path, line: header.line, field: name, kind: .duplicateColumn) }
            if hits.isEmpty && required {
                throw ChainError(source: path, line: header.line, field: name, kind: .missingColumn)
            }
            return hits.first
        }
        let symbol = try column("symbol")!, expiry = try column("expiry")!
        let strike = try column("strike")!, type = try column("type")!
        let price = try column("price", required: false)
        let bid = try column("bid", required: false), ask = try column("ask", required: false)
        let iv = try column("iv", required: false)
        guard price != nil || (bid != nil && ask != nil) else {
            throw ChainError(source: path, line: header.line, field: "price (or bid and ask)", kind: .missingColumn)
        }
        priceSource = price != nil ? "price column" : "mid of bid and ask"
        if iv != nil { vendorVols = [] }
        for r in records.dropFirst() {
            guard r.fields.count >= names.count else {
                throw ChainError(
                    source: path, line: r.line, field: nil,
                    kind: .shortRow(expected: names.count, found: r.fields.count))
            }
            symbols.append(r.fields[symbol])
            guard let date = ISO8601Timestamp.date(from: r.fields[expiry]) else {
                throw ChainError(
                    source: path, line: r.line, field: "expiry", value: r.fields[expiry],
                    kind: .malformed(expected: "an ISO-8601 instant with a zone"))
            }
            expiries.append(date)
            let K = try r.double(strike, name: "strike", source: path)
            guard K > 0 else {
                throw ChainError(
                    source: path, line: r.line, field: "strike", value: r.fields[strike],
                    kind: .invalidValue("strike must be positive"))
            }
            strikes.append(K)
            switch r.fields[type].uppercased() {
            case "C", "CALL": kinds.append(.call)
            case "P", "PUT": kinds.append(.put)
            default:
                throw ChainError(
                    source: path, line: r.line, field: "type", value: r.fields[type],
                    kind: .malformed(expected: "C or P"))
            }
            // Prices may be missing or zero: that is a status (no_quote), not an error.
            func number(_ i: Int) -> Double { Double(r.fields[i]) ?? .nan }
            if let price {
                prices.append(number(price))
            } else if let bid, let ask {
                let (b, a) = (number(bid), number(ask))
                prices.append(b > 0 && a >= b ? 0.5 * (b + a) : .nan)
            }
            if let iv { vendorVols?.append(Double(r.fields[iv]) ?? 0) }
        }
    }
}
