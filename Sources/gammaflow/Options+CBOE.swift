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

    @Flag(
        name: .customLong("fill-missing-iv"),
        help:
            "With --cboe: give sides whose IV is zero or missing the vol of their expiry's smile, fitted by vega-weighted least squares to the file's quoted vols (sides whose expiry has no smile stay excluded). Default: exclude them."
    )
    var fillMissingIV = false

    @Option(
        name: .customLong("smile-model"),
        help: ArgumentHelp(
            "With --fill-missing-iv: the smile's form in k = ln(K/F)/sqrt(T), quadratic (default), cubic or svi (Gatheral's SVI in variance, quasi-explicit fit).",
            valueName: "model"))
    var smileModel: SmileModelChoice?

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
            if fillMissingIV {
                throw ValidationError(
                    "--fill-missing-iv applies to --cboe files (sides without an IV quote); a native chain must give every iv"
                )
            }
        case (nil, .some(let path)):
            guard !path.isEmpty else { throw ValidationError("--cboe needs a file path") }
            if underlying != nil {
                throw ValidationError(
                    "--underlying names a --chain file's root; a --cboe file names its own underlying")
            }
        }
        if let smileModel, !fillMissingIV {
            throw ValidationError(
                "--smile-model \(smileModel.rawValue) needs --fill-missing-iv (the smile only fills missing IVs)")
        }
        if let spot, !(spot.isFinite && spot >= .leastNormalMagnitude) {
            throw ValidationError("--spot must be a finite number > 0 (at least 2.2e-308), got \(spot)")
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
        var snapshot = try CBOESnapshot.load(path: path, options: options)
        var fill: SmileFillSummary?
        if fillMissingIV {
            let model = (smileModel ?? .quadratic).model
            let result = try snapshot.fillingMissingVolsFromSmile(
                model: model, weighting: .vega, rate: valuation.rate ?? 0, dividendYield: valuation.divYield ?? 0)
            snapshot = result.snapshot
            fill = SmileFillSummary(
                model: model, weighting: .vega, filled: result.filled, unfilled: result.unfilled.count,
                fittedExpiries: result.fit.fittedExpiries.count, expiries: result.fit.expiries.count)
        }
        var context = context(spot: snapshot.spot, spotSource: spot == nil ? .file : .given, asOf: snapshot.asOf)
        if valuation.asOfDate == nil { context.asOfSource = .file }
        return LoadedChain(
            chain: snapshot.chain, source: path, context: context, skipped: snapshot.report.invalidRows,
            ignoredColumns: [], importReport: snapshot.report, smileFill: fill)
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

/// A `--smile-model` value.
enum SmileModelChoice: String, ExpressibleByArgument, CaseIterable {
    case quadratic, cubic, svi

    var model: SmileModel {
        switch self {
        case .quadratic: .quadratic
        case .cubic: .cubic
        case .svi: .svi
        }
    }
}

/// What `--fill-missing-iv` did: the smile and how many no-IV sides it filled.
struct SmileFillSummary {
    var model: SmileModel
    var weighting: SmileWeighting
    /// No-IV sides put back with the smile's vol.
    var filled: Int
    /// No-IV sides of live expiries left excluded (their expiry has no smile).
    var unfilled: Int
    /// Expiries with a fitted smile, and with at least one quote.
    var fittedExpiries: Int
    var expiries: Int

    /// `quadratic smile in ln(K/F)/sqrt(T), vega-weighted, per expiry`.
    var smileDescription: String { "\(model) smile in ln(K/F)/sqrt(T), \(weighting)-weighted, per expiry" }
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
    /// What `--fill-missing-iv` filled; `nil` without it.
    var smileFill: SmileFillSummary? = nil

    /// Where the vols came from, for the report.
    var volsDescription: String {
        guard let fill = smileFill else { return "the file's IV column" }
        return
            "the file's IV column; \(fill.filled) sides without one filled from the \(fill.model) smile of their expiry"
    }

    /// The import report as stderr lines (`import: ...`), plus the rate and
    /// dividend yield it does not know about; empty for a native chain.
    var importLines: [String] {
        guard let report = importReport else { return [] }
        var lines = report.description.split(separator: "\n").map { "import: " + $0 }
        if let fill = smileFill {
            lines.append(
                "import: filled from smile: \(fill.filled) sides without an IV quote (\(fill.smileDescription); "
                    + "\(fill.fittedExpiries) of \(fill.expiries) expiries fitted); still excluded: \(fill.unfilled) "
                    + "(no IV quote, expiry without a smile)")
        }
        lines.append(
            "import: rate \(context.rate)\(context.rateGiven ? "" : " (default)"), dividend yield "
                + "\(context.divYield)\(context.divYieldGiven ? "" : " (default)"); vols: \(volsDescription)")
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
            ("vols", .string(volsDescription)),
            ("rows", .number(Double(r.rows))),
            ("options_read", .number(Double(r.options))),
            ("imported", .number(Double(r.imported))),
            ("filled_from_smile", .number(Double(r.filledImpliedVols))),
            ("smile_model", smileFill.map { .string($0.model.description) } ?? .null),
            (
                "smile_fill",
                smileFill.map { f in
                    .object([
                        ("model", .string(f.model.description)),
                        ("weighting", .string(f.weighting.description)),
                        ("filled", .number(Double(f.filled))),
                        ("unfilled", .number(Double(f.unfilled))),
                        ("fitted_expiries", .number(Double(f.fittedExpiries))),
                        ("expiries", .number(Double(f.expiries))),
                    ])
                } ?? .null
            ),
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
