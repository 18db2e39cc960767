import ArgumentParser
import Foundation
import GammaFlow

/// `gammaflow iv`: implied vols from option prices, with a status per option.
struct IVCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iv",
        abstract: "Solve Black-Scholes implied vols from option prices (Let's Be Rational), with a status per option.",
        discussion: """
            The options come from exactly one of --prices FILE (also spelled --chain FILE; needs --spot) or --cboe FILE.

            A --prices CSV has a header row naming these columns, in any order (extra columns are ignored):
              symbol   contract code (free text)
              expiry   ISO-8601 instant with a zone (2024-01-19T16:00:00-05:00)
              strike   strike, index points
              type     C or P (call, put)
              price    option price, index points; or, instead, both
              bid,ask  quotes, whose mid is used (price wins when all three are present)
              iv       optional: a vendor's implied vol (decimal), printed beside the solved one

            A --cboe file is a CBOE delayed-quote download. Every side that has not expired, including those without a vendor IV, is solved from the mid of its bid and ask (--price mid, the default; a side needs bid > 0 and ask >= bid) or from its last sale (--price last), and printed beside the file's IV. Spot and as-of come from the file's Last: and Date: lines unless --spot/--as-of override them; r = q = 0 unless given.

            Output: CSV on stdout (symbol,expiry,strike,type,price,years,iv,status[,vendor_iv,diff_vol_points]), or with --format json one object with the assumptions, the status counts and the options. diff_vol_points is 100 * (iv - vendor_iv), empty unless both are positive. Statuses: ok, below_intrinsic, above_upper_bound, no_quote, expired (iv is 0 unless ok). With CSV, the assumptions (spot, r, q, as-of, time basis, method), the status counts and a CBOE import report go to stderr.

            Examples:
              gammaflow iv --cboe spx_quotedata.csv > vols.csv
              gammaflow iv --chain quotes.csv --spot 5000 --rate 0.045 --format json

            Exit codes: 0 on success, 2 when the input file is unreadable or invalid (one line on stderr names the file, line and field), 64 for bad flags.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, json
    }

    enum PriceChoice: String, ExpressibleByArgument, CaseIterable {
        case mid, last
    }

    @Option(
        name: [.customLong("prices"), .customLong("chain")],
        help: ArgumentHelp(
            "CSV of option prices, or of bid and ask (see the discussion for the columns); --chain is the same flag.",
            valueName: "file"))
    var prices: String?

    @Option(
        help: ArgumentHelp(
            "A CBOE delayed-quote download (\"quotedata\" CSV); its Last: and Date: lines give spot and as-of.",
            valueName: "file"))
    var cboe: String?

    @Option(
        help:
            "Spot price of the underlying, index points (finite, > 0). Required with --prices; overrides a --cboe file's Last:."
    )
    var spot: Double?

    @OptionGroup var valuation: ValuationOptions

    @Option(help: "With --cboe: the price solved from, mid (of bid and ask; default) or last (sale).")
    var price: PriceChoice?

    @Option(
        help: ArgumentHelp(
            "With --cboe: expiry instants, standard (SPX, NDX, RUT monthlies at 09:30 New York, others at 16:00; default) or all-pm.",
            valueName: "rule"))
    var settlement: SettlementChoice?

    @Option(help: "Output format: csv (default) or json.")
    var format: Format = .csv

    @Option(help: "Root finder: lets-be-rational (default) or newton-bisection.")
    var method: String = "lets-be-rational"

    func validate() throws {
        guard ImpliedVolatility.Method.allCases.contains(where: { $0.description == method }) else {
            throw ValidationError("--method must be lets-be-rational or newton-bisection, got '\(method)'")
        }
        switch (prices, cboe) {
        case (nil, nil):
            throw ValidationError(
                "give the options with --prices FILE (a CSV of prices, with --spot) or --cboe FILE (a CBOE quotedata CSV)"
            )
        case (.some, .some):
            throw ValidationError("--prices and --cboe both give the options; pass exactly one of them")
        case (.some, nil):
            guard spot != nil else {
                throw ValidationError("--prices needs --spot (only a --cboe file carries its own spot)")
            }
            if let price {
                throw ValidationError(
                    "--price \(price.rawValue) applies to --cboe files; a --prices file has a price (or bid and ask) column"
                )
            }
            if let settlement {
                throw ValidationError(
                    "--settlement \(settlement.rawValue) applies to --cboe files; a --prices file gives each expiry instant"
                )
            }
        case (nil, .some(let path)):
            guard !path.isEmpty else { throw ValidationError("--cboe needs a file path") }
        }
        if let spot, !(spot.isFinite && spot >= .leastNormalMagnitude) {
            throw ValidationError("--spot must be a finite number > 0 (at least 2.2e-308), got \(spot)")
        }
    }

    var rate: Double { valuation.rate ?? 0 }
    var divYield: Double { valuation.divYield ?? 0 }
    var solver: ImpliedVolatility.Method {
        let name = method
        return ImpliedVolatility.Method.allCases.first { $0.description == name }!
    }

    func run() throws {
        if let cboe {
            try runCBOE(cboe)
            return
        }
        let table: IVPriceTable
        do {
            table = try IVPriceTable(path: prices!)
        } catch let error as ChainError {
            StandardError.print("error: \(error)")
            throw ExitCode(2)
        }
        let spot = spot!
        let valuationTime = valuation.asOfDate ?? RunClock.start
        let basis = valuation.timeBasis
        let years = table.expiries.map { basis.years(from: valuationTime, to: $0) }
        let market = MarketParameters(spot: spot, rate: rate, dividendYield: divYield)
        let rows = IVCommand.Rows(
            symbols: table.symbols, expiries: table.expiries, strikes: table.strikes, kinds: table.kinds,
            prices: table.prices, years: years, vendorVols: table.vendorVols, market: market, method: solver)
        var notes = [
            "# spot=\(spot) rate=\(rate) div_yield=\(divYield)",
            "# as_of=\(ISO8601Timestamp.string(from: valuationTime))\(valuation.asOfDate == nil ? " (now)" : "")",
            "# time_basis=\(valuation.timeBasisName) method=\(solver)",
            "# prices: \(table.priceSource)",
        ]
        notes.append(rows.summary)
        switch format {
        case .csv:
            print(rows.csv, terminator: "")
        case .json:
            let doc = DealerJSON.object([
                ("source", .string(prices!)),
                ("format", .string("prices")),
                ("price", .string(table.priceSource)),
                (
                    "assumptions",
                    assumptionsJSON(
                        spot: spot, spotSource: "--spot", asOf: valuationTime,
                        asOfSource: valuation.asOfDate == nil ? "now" : "--as-of")
                ),
                ("status_counts", rows.statusCountsJSON),
                ("count", .number(Double(rows.count))),
                ("options", .array(rows.optionsJSON)),
                ("import", .null),
            ])
            print(doc.rendered())
        }
        FileHandle.standardError.write(Data((notes.joined(separator: "\n") + "\n").utf8))
    }

    func assumptionsJSON(spot: Double, spotSource: String, asOf: Date, asOfSource: String) -> DealerJSON {
        .object([
            ("spot", .number(spot)),
            ("spot_source", .string(spotSource)),
            ("rate", .number(rate)),
            ("rate_source", .string(valuation.rate == nil ? "default" : "--rate")),
            ("dividend_yield", .number(divYield)),
            ("dividend_yield_source", .string(valuation.divYield == nil ? "default" : "--div-yield")),
            ("as_of", .string(ISO8601Timestamp.string(from: asOf))),
            ("as_of_source", .string(asOfSource)),
            ("time_basis", .string(valuation.timeBasisName)),
            ("method", .string(solver.description)),
        ])
    }

    /// `--cboe`: every live side (imported or without a vendor IV) solved
    /// from its mid (or last) and printed beside the vendor's IV.
    func runCBOE(_ path: String) throws {
        let options = CBOEImportOptions(
            settlement: (settlement ?? .standard).rule, timeBasis: valuation.timeBasis, asOf: valuation.asOfDate,
            spot: spot)
        let snapshot: CBOESnapshot
        let live: [Int]
        let expiries: [Date]
        do {
            snapshot = try CBOESnapshot.load(path: path, options: options)
            // Imported sides plus those excluded only for want of an IV: every side not expired.
            let noIV = snapshot.report.exclusions.filter { $0.reason == .noImpliedVol }.map(\.quoteIndex)
            live = (snapshot.quoteIndices + noIV).sorted()
            expiries = try snapshot.expiries(ofQuotes: live)
        } catch let error as ChainError {
            StandardError.print("error: \(error)")
            throw ExitCode(2)
        }
        let q = snapshot.quotes
        let choice = price ?? .mid
        let prices = live.map { i -> Double in
            switch choice {
            case .mid:
                let (b, a) = (q.bid[i], q.ask[i])
                return b > 0 && a >= b ? 0.5 * (b + a) : .nan
            case .last:
                return q.last[i] > 0 ? q.last[i] : .nan
            }
        }
        let years = valuation.timeBasis.years(from: snapshot.asOf, to: expiries)
        let market = MarketParameters(spot: snapshot.spot, rate: rate, dividendYield: divYield)
        let rows = IVCommand.Rows(
            symbols: live.map { q.symbols[$0] }, expiries: expiries, strikes: live.map { q.strikes[$0] },
            kinds: live.map { q.kinds[$0] }, prices: prices, years: years,
            vendorVols: live.map { q.impliedVols[$0].isNaN ? 0 : q.impliedVols[$0] }, market: market, method: solver)
        let context = MarketContext(
            spot: snapshot.spot, spotSource: spot == nil ? .file : .given, rate: rate, rateGiven: valuation.rate != nil,
            divYield: divYield, divYieldGiven: valuation.divYield != nil, valuationTime: snapshot.asOf,
            asOfSource: valuation.asOfDate == nil ? .file : .given, timeBasis: valuation.timeBasis,
            timeBasisName: valuation.timeBasisName)
        let loaded = LoadedChain(
            chain: snapshot.chain, source: path, context: context, skipped: snapshot.report.invalidRows,
            ignoredColumns: [], importReport: snapshot.report)
        let priceSource = choice == .mid ? "mid of bid and ask" : "last sale"
        let expired = snapshot.report.count(.expired)
        var notes = loaded.importLines
        notes += [
            "# spot=\(snapshot.spot) rate=\(rate) div_yield=\(divYield)",
            "# as_of=\(ISO8601Timestamp.string(from: snapshot.asOf))",
            "# time_basis=\(valuation.timeBasisName) method=\(solver)",
            "# prices: \(priceSource); \(live.count) live sides solved (\(snapshot.quoteIndices.count) with a vendor IV), \(expired) expired sides skipped",
            rows.summary,
        ]
        switch format {
        case .csv:
            print(rows.csv, terminator: "")
        case .json:
            let doc = DealerJSON.object([
                ("source", .string(path)),
                ("format", .string("cboe-quotedata")),
                ("price", .string(choice.rawValue)),
                (
                    "assumptions",
                    assumptionsJSON(
                        spot: snapshot.spot, spotSource: spot == nil ? "file Last:" : "--spot", asOf: snapshot.asOf,
                        asOfSource: valuation.asOfDate == nil ? "file Date:" : "--as-of")
                ),
                ("status_counts", rows.statusCountsJSON),
                ("count", .number(Double(rows.count))),
                ("with_vendor_iv", .number(Double(snapshot.quoteIndices.count))),
                ("expired_skipped", .number(Double(expired))),
                ("options", .array(rows.optionsJSON)),
                ("import", loaded.importJSON),
            ])
            print(doc.rendered())
        }
        FileHandle.standardError.write(Data((notes.joined(separator: "\n") + "\n").utf8))
    }

    /// Solved columns of options, printable as CSV or JSON.
    struct Rows {
        var symbols: [String]
        var expiries: [Date]
        var strikes: [Double]
        var kinds: [OptionKind]
        var prices: [Double]
        var years: [Double]
        var vendorVols: [Double]?
        var solved: ImpliedVolatilityResult

        init(
            symbols: [String], expiries: [Date], strikes: [Double], kinds: [OptionKind], prices: [Double],
            years: [Double], vendorVols: [Double]?, market: MarketParameters, method: ImpliedVolatility.Method
        ) {
            self.symbols = symbols
            self.expiries = expiries
            self.strikes = strikes
            self.kinds = kinds
            self.prices = prices
            self.years = years
            self.vendorVols = vendorVols
            solved = ImpliedVolatility.solve(
                prices: prices, strikes: strikes, kinds: kinds, years: years, market: market, method: method)
        }

        var count: Int { prices.count }

        /// 100 * (solved - vendor) where both are positive.
        func diff(_ i: Int) -> Double? {
            guard let vendor = vendorVols?[i], solved.status[i] == .ok, vendor > 0 else { return nil }
            return 100 * (solved.vols[i] - vendor)
        }

        var csv: String {
            var out = "symbol,expiry,strike,type,price,years,iv,status"
            if vendorVols != nil { out += ",vendor_iv,diff_vol_points" }
            out += "\n"
            for i in prices.indices {
                out += "\(symbols[i]),\(ISO8601Timestamp.string(from: expiries[i])),\(strikes[i]),\(kinds[i]),"
                out += "\(prices[i]),\(years[i]),\(solved.vols[i]),\(solved.status[i])"
                if let vendor = vendorVols?[i] {
                    out += ",\(vendor),\(diff(i).map { "\($0)" } ?? "")"
                }
                out += "\n"
            }
            return out
        }

        var summary: String {
            let counts = solved.statusCounts
            return "# statuses: "
                + IVStatus.allCases.map { "\($0)=\(counts[$0] ?? 0)" }.joined(separator: " ")
                + " (of \(prices.count))"
        }

        var statusCountsJSON: DealerJSON {
            let counts = solved.statusCounts
            return .object(IVStatus.allCases.map { ($0.description, .number(Double(counts[$0] ?? 0))) })
        }

        var optionsJSON: [DealerJSON] {
            prices.indices.map { i in
                var fields: [(String, DealerJSON)] = [
                    ("symbol", .string(symbols[i])),
                    ("expiry", .string(ISO8601Timestamp.string(from: expiries[i]))),
                    ("strike", .number(strikes[i])),
                    ("type", .string("\(kinds[i])")),
                    ("price", prices[i].isFinite ? .number(prices[i]) : .null),
                    ("years", .number(years[i])),
                    ("iv", .number(solved.vols[i])),
                    ("status", .string(solved.status[i].description)),
                ]
                if let vendor = vendorVols?[i] {
                    fields.append(("vendor_iv", vendor > 0 ? .number(vendor) : .null))
                    fields.append(("diff_vol_points", diff(i).map { .number($0) } ?? .null))
                }
                return .object(fields)
            }
        }
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
        let rows = Rows(
            symbols: symbols, expiries: expiries, strikes: strikes, kinds: kinds, prices: prices, years: years,
            vendorVols: vendorVols, market: market, method: method)
        return (rows.csv, rows.summary)
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
