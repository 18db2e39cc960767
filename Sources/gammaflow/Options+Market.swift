import ArgumentParser
import Foundation
import GammaFlow

/// The valuation flags shared by every command that values options: rate,
/// dividend yield, the as-of instant and the time basis (everything but spot,
/// which a CBOE file can supply). Every one of them is printed with the results.
struct ValuationOptions: ParsableArguments {
    @Option(help: "Continuously compounded risk-free rate per year, as a decimal (0.045 = 4.5%). Default: 0.")
    var rate: Double?

    @Option(
        name: .customLong("div-yield"),
        help: "Continuous dividend yield per year, as a decimal (0.013 = 1.3%). Default: 0.")
    var divYield: Double?

    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp(
            "Valuation instant, ISO-8601 with a zone (2026-01-05T14:30:00-05:00). Default: the --cboe file's Date: line, else now.",
            valueName: "ISO-8601"))
    var asOf: String?

    @Option(
        name: .customLong("time-basis"),
        help: ArgumentHelp(
            "How time to expiry becomes years: act365 (calendar seconds / 365 days), busN (whole New York weekdays / N, e.g. bus252, bus262) or busN-intraday (weekday seconds / N days).",
            valueName: "basis"))
    var basisArgument: TimeBasisArgument = TimeBasisArgument(.act365, name: "act365")

    @Option(
        name: .customLong("min-days"),
        help: ArgumentHelp(
            "Floor the time to expiry of options that have not expired at this many days of the time basis (1/365 year for act365, 1/N year for busN); without it, whole-day bases give today's expiries t = 0. Default: no floor.",
            valueName: "days"))
    var minDays: Double?

    func validate() throws {
        if let rate, !rate.isFinite { throw ValidationError("--rate must be finite, got \(rate)") }
        if let divYield, !divYield.isFinite { throw ValidationError("--div-yield must be finite, got \(divYield)") }
        if let minDays, !(minDays.isFinite && minDays >= 0) {
            throw ValidationError("--min-days must be a finite number >= 0, got \(minDays)")
        }
        if let asOf {
            switch ISO8601Timestamp.parse(asOf) {
            case .success: break
            case .failure(.missingZone):
                throw ValidationError("--as-of '\(asOf)' has no time zone; append Z or an offset such as -05:00")
            case .failure(.malformed):
                throw ValidationError("--as-of '\(asOf)' is not an ISO-8601 date-time like 2026-01-05T19:30:00Z")
            }
        }
    }

    /// The `--as-of` instant, when given.
    var asOfDate: Date? { asOf.flatMap(ISO8601Timestamp.date(from:)) }

    /// The time basis, with the `--min-days` floor when given.
    var timeBasis: TimeBasis {
        var basis = basisArgument.basis
        if let minDays { basis.minimumYears = minDays / basisArgument.daysPerYear }
        return basis
    }

    /// The time basis as given on the command line (`bus252 --min-days 1`).
    var timeBasisName: String { basisArgument.name + (minDays.map { " --min-days \($0)" } ?? "") }
}

/// The market flags of commands that always take spot from the command line
/// (`iv`): a required `--spot` and the ``ValuationOptions``.
struct MarketOptions: ParsableArguments {
    @Option(help: "Spot price of the underlying, in index points (finite, > 0).")
    var spot: Double

    @OptionGroup var valuation: ValuationOptions

    func validate() throws {
        guard spot.isFinite, spot >= .leastNormalMagnitude else {
            throw ValidationError("--spot must be a finite number > 0 (at least 2.2e-308), got \(spot)")
        }
    }

    /// The resolved values (as-of defaults to the start of the run).
    var context: MarketContext {
        MarketContext(
            spot: spot, spotSource: .given, rate: rate, rateGiven: valuation.rate != nil, divYield: divYield,
            divYieldGiven: valuation.divYield != nil, valuationTime: valuationTime,
            asOfSource: valuation.asOfDate == nil ? .now : .given, timeBasis: timeBasis, timeBasisName: timeBasisName)
    }

    var rate: Double { valuation.rate ?? 0 }
    var divYield: Double { valuation.divYield ?? 0 }
    var market: MarketParameters { context.market }
    var valuationTime: Date { valuation.asOfDate ?? RunClock.start }
    var valuationIsNow: Bool { valuation.asOfDate == nil }
    var timeBasis: TimeBasis { valuation.timeBasis }
    var timeBasisName: String { valuation.timeBasisName }
    var assumptions: [(String, String)] { context.assumptions }
}

/// Spot, rate, dividend yield, valuation instant and time basis as resolved
/// for one run, with where each came from: what every command prints as its
/// assumptions.
struct MarketContext {
    /// Where a value came from.
    enum Source: String {
        /// A command-line flag.
        case given
        /// The input file (a CBOE file's `Last:` or `Date:` line).
        case file
        /// The start of the run (no `--as-of`).
        case now
    }

    var spot: Double
    var spotSource: Source
    var rate: Double
    var rateGiven: Bool
    var divYield: Double
    var divYieldGiven: Bool
    var valuationTime: Date
    var asOfSource: Source
    var timeBasis: TimeBasis
    var timeBasisName: String

    /// Spot, rate and dividend yield.
    var market: MarketParameters { MarketParameters(spot: spot, rate: rate, dividendYield: divYield) }

    /// Whether the valuation time is "now" rather than given or read.
    var valuationIsNow: Bool { asOfSource == .now }

    /// The assumptions as `(name, value)` pairs, in print order.
    var assumptions: [(String, String)] {
        [
            ("spot", "\(spot) index points" + (spotSource == .file ? " (file Last:; --spot overrides)" : "")),
            ("rate", "\(rate) per year, continuously compounded" + (rateGiven ? "" : " (default; --rate)")),
            ("dividend yield", "\(divYield) per year, continuous" + (divYieldGiven ? "" : " (default; --div-yield)")),
            ("as-of", ISO8601Timestamp.string(from: valuationTime) + asOfNote),
            ("time basis", "\(timeBasisName): \(timeBasis)"),
            ("model", "Black-Scholes-Merton, European exercise, per unit of underlying"),
        ]
    }

    private var asOfNote: String {
        switch asOfSource {
        case .given: ""
        case .file: " (file Date:; --as-of overrides)"
        case .now: " (now; pass --as-of to pin it)"
        }
    }
}

/// A `--time-basis` value: `act365`, `busN` or `busN-intraday`.
struct TimeBasisArgument: ExpressibleByArgument, Sendable {
    var basis: TimeBasis
    var name: String
    /// Days in the basis' year (365, or N for busN), for `--min-days`.
    var daysPerYear: Double

    /// A named basis; `daysPerYear` defaults to the basis' own year (365 for
    /// calendar seconds, N for business days).
    init(_ basis: TimeBasis, name: String, daysPerYear: Double? = nil) {
        self.basis = basis
        self.name = name
        switch basis.clock {
        case .calendarSeconds(let secondsPerYear): self.daysPerYear = daysPerYear ?? secondsPerYear / 86_400
        case .businessDays(let days, _): self.daysPerYear = daysPerYear ?? days
        }
    }

    init?(argument: String) {
        let text = argument.lowercased()
        if text == "act365" {
            self.init(.act365, name: text)
            return
        }
        guard text.hasPrefix("bus") else { return nil }
        var days = text.dropFirst(3)
        let intraday = days.hasSuffix("-intraday")
        if intraday { days = days.dropLast("-intraday".count) }
        guard let n = Double(days), n.isFinite, n >= 1, n <= 366 else { return nil }
        self.init(.businessDays(yearLength: n, intraday: intraday), name: text)
    }

    var defaultValueDescription: String { name }

    static var allValueStrings: [String] { ["act365", "bus252", "bus262", "bus252-intraday", "bus262-intraday"] }
}

/// The instant the run started (read on first use), so that every part of
/// one run without `--as-of` values at the same moment.
enum RunClock {
    static let start = Date()
}

/// Writing to stderr.
enum StandardError {
    static func print(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
