import ArgumentParser
import Foundation
import GammaFlow

/// Where the options come from, for `greeks`, `levels` and `profile`: a
/// native chain CSV (`--chain`, with `--spot`) or a CBOE delayed-quote
/// download (`--cboe`, whose `Last:` and `Date:` lines give spot and as-of
/// unless `--spot`/`--as-of` override them), plus the valuation flags.
///
/// ``load()`` is the one loader behind all three commands.
struct ChainSourceOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp("A native chain CSV file (needs --spot). Exactly one of --chain, --cboe.", valueName: "file")
    )
    var chain: String?

    @Option(
        help: ArgumentHelp(
            "A CBOE delayed-quote download (\"quotedata\" CSV); its Last: and Date: lines give spot and as-of.",
            valueName: "file"))
    var cboe: String?

    @Option(
        help:
            "Spot price of the underlying, index points (finite, > 0). Required with --chain; overrides a --cboe file's Last:."
    )
    var spot: Double?

    @OptionGroup var valuation: ValuationOptions

    @Option(
        help: ArgumentHelp(
            "Expiry instants of a --cboe file: standard (SPX, NDX, RUT monthlies at 09:30 New York, every other root at 16:00; default) or all-pm (every root at 16:00, as most tools assume).",
            valueName: "rule"))
    var settlement: SettlementChoice?

    @Option(help: ArgumentHelp("Root symbol stored with a --chain file (e.g. SPX).", valueName: "name"))
    var underlying: String?

    @Flag(help: "Drop rows that fail to parse or check (each is reported) instead of stopping at the first.")
    var skipInvalid = false

    func validate() throws {
        switch (chain, cboe) {
        case (nil, nil):
            throw ValidationError(
                "give the options with --chain FILE (a native chain CSV, with --spot) or --cboe FILE (a CBOE quotedata CSV)"
            )
        case (.some, .some):
            throw ValidationError("--chain and --cboe both give the options; pass exactly one of them")
        case (.some(let path), nil):
            guard !path.isEmpty else { throw ValidationError("--chain needs a file path") }
            guard spot != nil else {
                throw ValidationError("--chain needs --spot (only a --cboe file carries its own spot)")
            }
            if let settlement {
                throw ValidationError(
                    "--settlement \(settlement.rawValue) applies to --cboe files; a native chain gives each expiry instant"
                )
            }
        case (nil, .some(let path)):
            guard !path.isEmpty else { throw ValidationError("--cboe needs a file path") }
            if underlying != nil {
                throw ValidationError(
                    "--underlying names a --chain file's root; a --cboe file names its own underlying")
            }
        }
        if let spot, !(spot.isFinite && spot > 0) {
            throw ValidationError("--spot must be a finite number > 0, got \(spot)")
        }
    }

    /// The path of the file given.
    var path: String { chain ?? cboe ?? "" }

    /// Loads the options, or prints the problem on stderr and exits with code 2.
    func load() throws -> LoadedChain {
        do {
            if let cboe {
                return try loadCBOE(cboe)
            }
            let asOf = valuation.asOfDate
            let loaded = try OptionChain.load(
                csvAt: path, valuationTime: asOf ?? RunClock.start, timeBasis: valuation.timeBasis,
                underlying: underlying ?? "", skipInvalid: skipInvalid)
            return LoadedChain(
                chain: loaded.chain, source: path, context: context(spot: spot!, spotSource: .given, asOf: asOf),
                skipped: loaded.skipped, ignoredColumns: loaded.ignoredColumns, importReport: nil)
        } catch let error as ChainError {
            StandardError.print("error: \(error)")
            throw ExitCode(2)
        }
    }

    private func loadCBOE(_ path: String) throws -> LoadedChain {
        let options = CBOEImportOptions(
            settlement: (settlement ?? .standard).rule, timeBasis: valuation.timeBasis, asOf: valuation.asOfDate,
            spot: spot, skipInvalid: skipInvalid)
        let snapshot = try CBOESnapshot.load(path: path, options: options)
        var context = context(spot: snapshot.spot, spotSource: spot == nil ? .file : .given, asOf: snapshot.asOf)
        if valuation.asOfDate == nil { context.asOfSource = .file }
        return LoadedChain(
            chain: snapshot.chain, source: path, context: context, skipped: snapshot.report.invalidRows,
            ignoredColumns: [], importReport: snapshot.report)
    }

    private func context(spot: Double, spotSource: MarketContext.Source, asOf: Date?) -> MarketContext {
        MarketContext(
            spot: spot, spotSource: spotSource, rate: valuation.rate ?? 0, rateGiven: valuation.rate != nil,
            divYield: valuation.divYield ?? 0, divYieldGiven: valuation.divYield != nil,
            valuationTime: asOf ?? RunClock.start, asOfSource: valuation.asOfDate != nil ? .given : .now,
            timeBasis: valuation.timeBasis, timeBasisName: valuation.timeBasisName)
    }
}

/// A `--settlement` value.
enum SettlementChoice: String, ExpressibleByArgument, CaseIterable {
    case standard
    case allPM = "all-pm"

    var rule: SettlementRule { self == .standard ? .standard : .allPM }
}

/// The options of one run and where they came from: the chain, the resolved
/// market, the rows skipped and, for a CBOE file, its import report.
struct LoadedChain {
    var chain: OptionChain
    /// The file path.
    var source: String
    var context: MarketContext
    /// Rows that did not parse (only with `--skip-invalid`).
    var skipped: SkippedRows
    /// Columns of a native chain that GammaFlow does not use.
    var ignoredColumns: [String]
    /// What a CBOE import assumed and excluded; `nil` for a native chain.
    var importReport: ImportReport?

    /// The import report as stderr lines (`import: ...`), plus the rate and
    /// dividend yield it does not know about; empty for a native chain.
    var importLines: [String] {
        guard let report = importReport else { return [] }
        var lines = report.description.split(separator: "\n").map { "import: " + $0 }
        lines.append(
            "import: rate \(context.rate)\(context.rateGiven ? "" : " (default)"), dividend yield "
                + "\(context.divYield)\(context.divYieldGiven ? "" : " (default)"); vols: the file's IV column")
        return lines
    }

    /// Prints ``importLines`` on stderr.
    func printImportReport() {
        for line in importLines { StandardError.print(line) }
    }

    /// The import report as a JSON object (`null` for a native chain): what
    /// was assumed (spot and as-of with their source, settlement, time basis,
    /// r, q) and what was excluded, with counts.
    var importJSON: DealerJSON {
        guard let r = importReport else { return .null }
        return .object([
            ("source", .string(r.source)),
            ("format", .string("cboe-quotedata")),
            ("underlying", .string(r.underlying)),
            ("spot", .number(r.spot)),
            ("spot_source", .string(r.spotFromFile ? "file Last:" : "--spot")),
            ("as_of", .string(ISO8601Timestamp.string(from: r.asOf))),
            ("as_of_source", .string(r.asOfFromFile ? "file Date:" : "--as-of")),
            ("settlement", .string(r.settlement.description)),
            ("time_basis", .string(context.timeBasisName)),
            ("time_basis_description", .string(r.timeBasis.description)),
            ("rate", .number(context.rate)),
            ("rate_source", .string(context.rateGiven ? "--rate" : "default")),
            ("dividend_yield", .number(context.divYield)),
            ("dividend_yield_source", .string(context.divYieldGiven ? "--div-yield" : "default")),
            ("vols", .string("the file's IV column")),
            ("rows", .number(Double(r.rows))),
            ("options_read", .number(Double(r.options))),
            ("imported", .number(Double(r.imported))),
            (
                "excluded",
                .object([
                    ("expired", .number(Double(r.count(.expired)))),
                    ("no_iv_quote", .number(Double(r.count(.noImpliedVol)))),
                    ("invalid_rows", .number(Double(r.invalidRows.count))),
                ])
            ),
            (
                "invalid_rows",
                .array(
                    r.invalidRows.errors.prefix(20).map { e in
                        .object([
                            ("line", e.line.map { .number(Double($0)) } ?? .null),
                            ("message", .string(e.description)),
                        ])
                    })
            ),
        ])
    }
}
