import ArgumentParser
import Foundation
import GammaFlow

/// `gammaflow greeks`: the Black-Scholes-Merton value and eight Greeks of
/// every option of a chain, one row per input option in input order.
struct GreeksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "greeks",
        abstract: "Price, delta, gamma, vega, theta, vanna, charm, vomma and speed of every option in a chain.",
        discussion: """
            Prints one row per option, in the order of the chain file, with its symbol, expiry, strike, \
            type, implied vol, time to expiry t (years under --time-basis) and nine Black-Scholes-Merton \
            values as raw derivatives: price in index points, delta dimensionless, gamma per index point, \
            vega per 1.00 of vol, theta per year, vanna per 1.00 of vol, charm per year, vomma per \
            (1.00 of vol)^2, speed per index point squared. Numbers are printed in their shortest exact form.

            The options come from exactly one of --chain FILE (a native chain CSV; --spot required) or \
            --cboe FILE (a CBOE delayed-quote download: spot from its Last: line and as-of from its Date: \
            line unless --spot/--as-of override them; expiries at 09:30 or 16:00 New York by --settlement; \
            expired options and sides without an IV quote are excluded and counted). Rate and dividend \
            yield are 0 unless given.

            CSV goes to stdout (or --output) and the assumptions, import report and counts to stderr; \
            JSON carries them in the document (assumptions, import). --summary prints a short readable \
            report instead.

            Examples:
              gammaflow greeks --cboe spx_quotedata.csv --summary
              gammaflow greeks --chain chain.csv --spot 5000 --rate 0.045 --format json

            Exit codes: 0 on success, 2 when the chain file is unreadable or invalid (one line on stderr \
            names the file, line and field), 1 when the output cannot be written, 64 for bad flags.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, json
    }

    @OptionGroup var input: ChainSourceOptions

    @Option(help: "Output format: csv (default) or json.")
    var format: Format?

    @Option(help: ArgumentHelp("Write the output to this file instead of stdout.", valueName: "file"))
    var output: String?

    @Flag(help: "Print a short readable report (assumptions, expiries, options near the money, totals) instead.")
    var summary = false

    func validate() throws {
        if summary, let format {
            throw ValidationError("--summary prints a readable report; it cannot be combined with --format \(format)")
        }
        if let output, output.isEmpty { throw ValidationError("--output needs a file path") }
    }

    func run() throws {
        let loaded = try input.load()
        let chain = loaded.chain
        let report = GreeksReport(
            loaded: loaded, greeks: chain.greeks(loaded.context.market, selection: .standard))

        if chain.isEmpty {
            StandardError.print(report.notesText())
            StandardError.print("error: \(input.path): no valid rows (\(loaded.skipped.count) skipped)")
            throw ExitCode(2)
        }

        let text: String
        if summary {
            text = report.summaryText()
            loaded.printImportReport()
        } else if format == .json {
            text = report.jsonText()
        } else {
            text = report.csvText()
            StandardError.print(report.notesText())
        }
        do {
            if let output {
                try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        } catch {
            StandardError.print("error: cannot write \(output ?? "stdout"): \(error.localizedDescription)")
            throw ExitCode(1)
        }
    }
}

/// The results of one `greeks` run and the assumptions behind them.
struct GreeksReport {
    var loaded: LoadedChain
    var greeks: ChainGreeks

    var source: String { loaded.source }
    var chain: OptionChain { loaded.chain }
    var skipped: SkippedRows { loaded.skipped }
    var ignoredColumns: [String] { loaded.ignoredColumns }
    var market: MarketContext { loaded.context }

    /// Options whose expiry is at or before the valuation time (valued at intrinsic).
    var expiredCount: Int { chain.expiries.reduce(0) { $0 + ($1 <= chain.valuationTime ? 1 : 0) } }

    /// Options that have not expired but get `t <= 0` from the time basis
    /// (today's expiries under a whole-day basis), also valued at intrinsic.
    var zeroTimeLiveCount: Int {
        (0..<chain.count).reduce(0) {
            $0 + (chain.yearsToExpiry[$1] <= 0 && chain.expiries[$1] > chain.valuationTime ? 1 : 0)
        }
    }

    /// A warning when ``zeroTimeLiveCount`` is not zero.
    var zeroTimeNote: String? {
        let n = zeroTimeLiveCount
        guard n > 0 else { return nil }
        return "note: \(n) options expire after the as-of time but have t = 0 under \(market.timeBasisName) "
            + "(whole days), so they are valued at intrinsic; use an -intraday basis or --min-days to give them time"
    }

    /// The output columns and their units, in order.
    static let columns: [(name: String, unit: String)] = [
        ("symbol", "contract code"),
        ("expiry", "ISO-8601 instant, UTC"),
        ("strike", "index points"),
        ("type", "C (call) or P (put)"),
        ("iv", "implied vol, decimal per year (0.18 = 18 vol)"),
        ("t", "years to expiry under the time basis (<= 0: expired, valued at intrinsic)"),
        ("price", "index points per unit of underlying"),
        ("delta", "dV/dS, dimensionless"),
        ("gamma", "d2V/dS2, per index point"),
        ("vega", "dV/dsigma, index points per 1.00 of vol"),
        ("theta", "dV/dt, index points per year"),
        ("vanna", "d2V/dS dsigma, per 1.00 of vol"),
        ("charm", "dDelta/dt, per year"),
        ("vomma", "d2V/dsigma2, index points per (1.00 of vol)^2"),
        ("speed", "d3V/dS3, per index point squared"),
    ]

    /// The nine Greek columns, in output order.
    var greekColumns: [[Double]] {
        [
            greeks.price, greeks.delta, greeks.gamma, greeks.vega, greeks.theta, greeks.vanna, greeks.charm,
            greeks.vomma, greeks.speed,
        ]
    }
}
