import ArgumentParser
import Foundation
import GammaFlow

/// `gammaflow levels`: call wall, put wall, zero gamma, exposures and hedge
/// flows of a chain's dealer book at spot.
struct LevelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "levels",
        abstract: "Dealer call wall, put wall, zero gamma, GEX/DEX/VEX/CEX and hedge flows at spot.",
        discussion: """
            Dealer positions follow --convention (default: dealers long call open interest and short \
            put open interest, the SqueezeMetrics/SpotGamma convention); --trades applies a trades CSV \
            on top (see Docs/DealerBook.md for its columns and the quote rule). Vols are sticky by strike.

            Units: GEX in $ of dealer delta per 1% move of spot (position x multiplier x gamma x S^2 x \
            0.01); DEX dealer delta in $; VEX $ of dealer delta per vol point; CEX $ of dealer delta per \
            hour (and per day) of passing time. Hedge flows: positive = dealers buy the underlying.

            The options come from --chain FILE (with --spot) or --cboe FILE (spot and as-of from the \
            file unless --spot/--as-of override; r = q = 0 unless given). The assumptions print above \
            the table; a CBOE file's import report (settlement, exclusions with counts) goes to stderr \
            with text output and into the "import" object of the JSON.

            Examples:
              gammaflow levels --cboe spx_quotedata.csv
              gammaflow levels --chain chain.csv --spot 5000 --format json --svg gex.svg

            Exit codes: 0 on success, 2 when the chain or trades file is unreadable or invalid, 64 for bad flags.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @OptionGroup var inputs: DealerInputs

    @Option(help: "Output format: text (default) or json.")
    var format: Format = .text

    @Option(help: ArgumentHelp("Also draw the GEX-by-strike and profile chart to this SVG file.", valueName: "file"))
    var svg: String?

    func run() throws {
        let loaded = try inputs.loadBook()
        let book = loaded.book
        let spot = loaded.context.spot
        if format == .text { loaded.input.printImportReport() }
        let levels = book.levels(spot: spot)
        let exposures = book.exposures(spot: spot)
        let flows = DealerFlowSummary(book: book, spot: spot)
        switch format {
        case .text:
            print(LevelsReport.text(inputs: inputs, loaded: loaded, levels: levels, exposures: exposures, flows: flows))
        case .json:
            print(LevelsReport.json(inputs: inputs, loaded: loaded, levels: levels, exposures: exposures, flows: flows))
        }
        if let svg {
            let profile = book.profile(from: spot * 0.9, to: spot * 1.1, steps: 200)
            try inputs.writeSVG(
                to: svg, book: book, levels: levels, exposures: exposures, profile: profile, loaded: loaded)
        }
    }
}

/// The flags shared by `levels` and `profile`, and the one function that
/// turns them into a dealer book (the place to add other chain sources).
struct DealerInputs: ParsableArguments {
    @OptionGroup var source: ChainSourceOptions

    @Option(
        help: ArgumentHelp(
            "Dealer positioning: long-calls-short-puts (default), short-calls-long-puts, or signed-positions (the chain's dealer_position column).",
            valueName: "convention"))
    var convention: DealerConvention = .default

    @Option(
        help: ArgumentHelp(
            "A trades CSV applied on top of the positions (time,symbol,quantity,price,side|bid,ask).", valueName: "file"
        ))
    var trades: String?

    /// A loaded book and what was done to build it.
    struct Loaded {
        var book: DealerBook
        /// The options as loaded, with the resolved market and (for --cboe) the import report.
        var input: LoadedChain
        var trades: DealerBook.TradesReport?

        var source: String { input.source }
        var skippedRows: Int { input.skipped.count }
        /// Spot, rate, dividend yield, as-of and time basis of the run.
        var context: MarketContext { input.context }
    }

    /// Loads the options (and trades) into a book, or prints the problem on
    /// stderr and exits with code 2. Positions follow `--convention` from
    /// open interest whether the options come from --chain or --cboe.
    func loadBook() throws -> Loaded {
        let input = try source.load()
        if input.importReport == nil {
            for e in input.skipped.errors { StandardError.print("skipped: \(e)") }
        }
        let market = input.context
        do {
            var book = try DealerBook(
                chain: input.chain, convention: convention, rate: market.rate, dividendYield: market.divYield)
            var report: DealerBook.TradesReport?
            if let trades {
                report = try book.ingestTrades(csvAt: trades, skipInvalid: source.skipInvalid)
                for e in report?.skipped.errors ?? [] { StandardError.print("skipped trade: \(e)") }
            }
            guard book.count > 0 else {
                input.printImportReport()
                StandardError.print("error: \(input.source): no live options at the valuation time")
                throw ExitCode(2)
            }
            return Loaded(book: book, input: input, trades: report)
        } catch let error as ChainError {
            StandardError.print("error: \(error)")
            throw ExitCode(2)
        }
    }

    /// The assumptions as `(name, value)` pairs, in print order.
    func assumptions(_ loaded: Loaded) -> [(String, String)] {
        let b = loaded.book
        var a: [(String, String)] = [(loaded.input.importReport == nil ? "chain" : "cboe file", loaded.source)]
        if !b.chain.underlying.isEmpty { a.append(("underlying", b.chain.underlying)) }
        a += loaded.context.assumptions
        if let r = loaded.input.importReport {
            a.append(("settlement", r.settlement.description))
            a.append(
                (
                    "excluded",
                    "\(r.count(.expired)) expired, \(r.count(.noImpliedVol)) without an IV quote, "
                        + "\(r.invalidRows.count) invalid rows (of \(r.options) option sides in \(r.rows) rows)"
                ))
        }
        a.append(("positions", "\(b.convention.rawValue): \(b.convention)"))
        a.append(("vol dynamics", "sticky strike"))
        a.append(
            (
                "options",
                "\(b.count) live, \(b.expiredCount) expired dropped, \(loaded.skippedRows) invalid rows skipped"
            ))
        if let t = loaded.trades {
            let s = b.tradeStatistics
            a.append(
                (
                    "trades",
                    "\(t.accepted) accepted from \(trades ?? "") (\(s.applied) applied: \(s.bySide) by side, \(s.byQuote) quote rule, \(s.byMidpoint) midpoint, \(s.byTick) tick; \(s.unclassified) unclassified; \(t.skipped.count) skipped)"
                ))
        }
        return a
    }

    /// Draws the chart to `path`.
    func writeSVG(
        to path: String, book: DealerBook, levels: DealerLevels, exposures: DealerExposures, profile: ExposureProfile,
        loaded: Loaded, volDynamics: VolDynamics = .stickyStrike
    ) throws {
        let name =
            book.chain.underlying.isEmpty
            ? URL(fileURLWithPath: loaded.source).lastPathComponent : book.chain.underlying
        let trades = loaded.trades.map { _ in " + \(book.tradeStatistics.applied) trades" } ?? ""
        let svg = DealerChart(
            title: "\(name) dealer gamma, as of \(ISO8601Timestamp.string(from: book.valuationTime))",
            subtitle:
                "positions: \(book.convention.rawValue)\(trades) · vols \(volDynamics) · \(book.timeBasis) · r=\(loaded.context.rate) q=\(loaded.context.divYield)",
            levels: levels, exposures: exposures, profile: profile
        ).svg()
        do {
            try svg.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            StandardError.print("error: cannot write \(path): \(error.localizedDescription)")
            throw ExitCode(1)
        }
    }
}

extension DealerConvention: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

/// Hedge flows printed with the levels.
struct DealerFlowSummary {
    var down1: HedgeFlow
    var up1: HedgeFlow
    var volUp1: HedgeFlow
    var toClose: (time: Date, flow: HedgeFlow)?

    init(book: DealerBook, spot: Double) {
        down1 = book.spotMoveFlow(from: spot, to: spot * 0.99)
        up1 = book.spotMoveFlow(from: spot, to: spot * 1.01)
        volUp1 = book.volMoveFlow(spot: spot, points: 1)
        let now = book.valuationTime
        let parts = NewYorkCalendar.calendar.dateComponents([.year, .month, .day], from: now)
        if let y = parts.year, let m = parts.month, let d = parts.day,
            let close = NewYorkCalendar.instant(year: y, month: m, day: d, hour: 16), close > now
        {
            toClose = (close, book.charmFlow(spot: spot, to: close))
        }
    }
}

/// The text and JSON forms of `gammaflow levels`.
enum LevelsReport {
    static func text(
        inputs: DealerInputs, loaded: DealerInputs.Loaded, levels l: DealerLevels, exposures e: DealerExposures,
        flows: DealerFlowSummary
    ) -> String {
        var out = "GammaFlow dealer levels\n"
        for (k, v) in inputs.assumptions(loaded) { out += "  \(dealerPad(k + ":", 16)) \(v)\n" }
        out += "\nLevels (index points)\n"
        func level(_ name: String, _ x: Double?, _ note: String) {
            out += "  \(dealerPad(name, 22)) \(dealerLPad(x.map { dealerFixed($0, 2) } ?? "none", 10))   \(note)\n"
        }
        level("spot", l.spot, "")
        level("zero gamma", l.zeroGamma, "GEX(S) sign change nearest spot within ±20%, to 0.01")
        level("call wall", l.callWall, "largest |call GEX|: \(dealerDollars(l.callWallGEX)) per 1%")
        level("put wall", l.putWall, "largest |put GEX|: \(dealerDollars(l.putWallGEX)) per 1%")
        level("largest |GEX| strike", l.largestGEXStrike, "net GEX \(dealerDollars(l.largestGEX)) per 1%")
        out += "  \(dealerPad("regime", 22)) \(dealerLPad(l.regime.rawValue + " gamma", 10))\n"
        out +=
            "\nExposures at spot (dollars)           \(dealerLPad("total", 12)) \(dealerLPad("0DTE", 12)) \(dealerLPad("rest", 12))\n"
        func row(_ name: String, _ f: (ExposureTotals) -> Double) {
            out +=
                "  \(dealerPad(name, 36)) \(dealerLPad(dealerDollars(f(e.total)), 12)) \(dealerLPad(dealerDollars(f(e.zeroDTE)), 12)) \(dealerLPad(dealerDollars(f(e.rest)), 12))\n"
        }
        row("GEX  ($ delta per 1% move)", \.gex)
        row("DEX  (dealer delta, $)", \.dex)
        row("VEX  ($ delta per vol point)", \.vex)
        row("CEX  ($ delta per hour)", \.cexPerHour)
        row("CEX  ($ delta per day)", \.cexPerDay)
        out += "  0DTE share of gross |GEX|: \(dealerFixed(100 * e.zeroDTEGammaShare, 1))%\n"
        out += "\nHedge flows (positive: dealers buy the underlying)\n"
        func flow(_ name: String, _ f: HedgeFlow) {
            let verb = f.dollars >= 0 ? "buy" : "sell"
            out +=
                "  \(dealerPad(name, 28)) dealers \(verb) \(dealerDollars(abs(f.dollars))) (\(dealerFixed(abs(f.units), 0)) units; linear estimate \(dealerDollars(f.linearEstimateDollars)))\n"
        }
        flow("spot -1%", flows.down1)
        flow("spot +1%", flows.up1)
        flow("vols +1 point (vanna)", flows.volUp1)
        if let c = flows.toClose {
            flow("to 16:00 New York (charm)", c.flow)
        }
        return out
    }

    static func json(
        inputs: DealerInputs, loaded: DealerInputs.Loaded, levels l: DealerLevels, exposures e: DealerExposures,
        flows: DealerFlowSummary
    ) -> String {
        let b = loaded.book
        func totals(_ t: ExposureTotals) -> DealerJSON {
            .object([
                ("gex", .number(t.gex)), ("dex", .number(t.dex)), ("vex", .number(t.vex)),
                ("cex_per_hour", .number(t.cexPerHour)), ("cex_per_day", .number(t.cexPerDay)),
            ])
        }
        func flow(_ f: HedgeFlow) -> DealerJSON {
            .object([
                ("units", .number(f.units)), ("dollars", .number(f.dollars)),
                ("linear_estimate_dollars", .number(f.linearEstimateDollars)),
            ])
        }
        var flowItems: [(String, DealerJSON)] = [
            ("spot_down_1pct", flow(flows.down1)), ("spot_up_1pct", flow(flows.up1)),
            ("vol_up_1pt", flow(flows.volUp1)),
        ]
        if let c = flows.toClose {
            flowItems.append(("charm_to_close", flow(c.flow)))
            flowItems.append(("close", .string(ISO8601Timestamp.string(from: c.time))))
        }
        let strikes: [DealerJSON] = e.perStrike.filter { $0.calls.gex != 0 || $0.puts.gex != 0 }.map {
            .object([
                ("strike", .number($0.strike)), ("call_gex", .number($0.calls.gex)), ("put_gex", .number($0.puts.gex)),
                ("net_gex", .number($0.net.gex)), ("net_dex", .number($0.net.dex)),
            ])
        }
        let expiries: [DealerJSON] = e.perExpiry.map {
            .object([
                ("expiry", .string(ISO8601Timestamp.string(from: $0.expiry))), ("zero_dte", .bool($0.isZeroDTE)),
                ("gex", .number($0.totals.gex)), ("dex", .number($0.totals.dex)), ("vex", .number($0.totals.vex)),
                ("cex_per_hour", .number($0.totals.cexPerHour)),
            ])
        }
        let doc: DealerJSON = .object([
            ("spot", .number(l.spot)),
            ("net_gex", .number(l.total.gex)),
            ("zero_gamma", l.zeroGamma.map(DealerJSON.number) ?? .null),
            ("call_wall", l.callWall.map(DealerJSON.number) ?? .null),
            ("put_wall", l.putWall.map(DealerJSON.number) ?? .null),
            ("largest_gex_strike", l.largestGEXStrike.map(DealerJSON.number) ?? .null),
            ("regime", .string(l.regime.rawValue)),
            ("net_dex", .number(l.total.dex)),
            ("net_vex", .number(l.total.vex)),
            ("net_cex", .number(l.total.cexPerHour)),
            ("net_cex_per_day", .number(l.total.cexPerDay)),
            ("zero_dte_gamma_share", .number(l.zeroDTEGammaShare)),
            ("call_wall_gex", .number(l.callWallGEX)),
            ("put_wall_gex", .number(l.putWallGEX)),
            ("zero_dte", totals(e.zeroDTE)),
            ("rest", totals(e.rest)),
            ("hedge_flows", .object(flowItems)),
            (
                "conventions",
                .object(
                    [
                        ("positions", .string(b.convention.rawValue)),
                        ("positions_description", .string(b.convention.description)),
                        ("vol_dynamics", .string("sticky strike")),
                        ("time_basis", .string(b.timeBasis.description)),
                        ("model", .string("Black-Scholes-Merton")),
                        ("rate", .number(b.rate)), ("dividend_yield", .number(b.dividendYield)),
                        ("as_of", .string(ISO8601Timestamp.string(from: b.valuationTime))),
                        (
                            "zero_gamma_search",
                            .string("nearest GEX(S) sign change within ±20% of spot, bracketed to 0.01")
                        ),
                    ])
            ),
            (
                "units",
                .object([
                    ("gex", .string("$ of dealer delta per 1% move: position x multiplier x gamma x S^2 x 0.01")),
                    ("dex", .string("dealer delta in $: position x multiplier x delta x S")),
                    ("vex", .string("$ of dealer delta per 1 vol point")),
                    ("cex", .string("$ of dealer delta per hour of passing time (cex_per_day: per 24 hours)")),
                    ("levels", .string("index points")),
                    ("hedge_flows", .string("units of underlying and $; positive = dealers buy")),
                ])
            ),
            (
                "counts",
                .object([
                    ("options", .number(Double(b.count))), ("expired_dropped", .number(Double(b.expiredCount))),
                    ("trades_applied", .number(Double(b.tradeStatistics.applied))),
                    ("trades_unclassified", .number(Double(b.tradeStatistics.unclassified))),
                ])
            ),
            ("import", loaded.input.importJSON),
            ("per_expiry", .array(expiries)),
            ("per_strike", .array(strikes)),
        ])
        return doc.rendered()
    }
}

/// A minimal JSON value with ordered keys (for stable output).
indirect enum DealerJSON {
    case number(Double)
    case string(String)
    case bool(Bool)
    case null
    case array([DealerJSON])
    case object([(String, DealerJSON)])

    func rendered(indent: Int = 0) -> String {
        let pad = String(repeating: "  ", count: indent + 1)
        let close = String(repeating: "  ", count: indent)
        switch self {
        case .number(let x):
            guard x.isFinite else { return "null" }
            return x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
        case .string(let s):
            var o = "\""
            for c in s.unicodeScalars {
                switch c {
                case "\"": o += "\\\""
                case "\\": o += "\\\\"
                case "\n": o += "\\n"
                default:
                    if c.value < 0x20 { o += String(format: "\\u%04x", c.value) } else { o.unicodeScalars.append(c) }
                }
            }
            return o + "\""
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array(let a):
            if a.isEmpty { return "[]" }
            return "[\n" + a.map { pad + $0.rendered(indent: indent + 1) }.joined(separator: ",\n") + "\n\(close)]"
        case .object(let o):
            if o.isEmpty { return "{}" }
            return "{\n"
                + o.map { pad + DealerJSON.string($0.0).rendered() + ": " + $0.1.rendered(indent: indent + 1) }
                .joined(separator: ",\n") + "\n\(close)}"
        }
    }
}

func dealerPad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
func dealerLPad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
func dealerFixed(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }

/// Dollars with a scale suffix: `-$1.23bn`, `$456.7M`, `$12.3k`.
func dealerDollars(_ x: Double) -> String {
    let a = abs(x)
    let sign = x < 0 ? "-" : ""
    if a >= 1e9 { return "\(sign)$\(dealerFixed(a / 1e9, 2))bn" }
    if a >= 1e6 { return "\(sign)$\(dealerFixed(a / 1e6, 1))M" }
    if a >= 1e3 { return "\(sign)$\(dealerFixed(a / 1e3, 1))k" }
    return "\(sign)$\(dealerFixed(a, 0))"
}
