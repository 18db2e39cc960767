import ArgumentParser
import Foundation
import GammaFlow

/// The market and valuation flags shared by the commands that value a chain
/// (`greeks`, and later `levels`, `profile`, `bench`): spot, rate, dividend
/// yield, the as-of instant and the time basis. Every one of them is printed
/// with the results.
struct MarketOptions: ParsableArguments {
    @Option(help: "Spot price of the underlying, in index points (finite, > 0).")
    var spot: Double

    @Option(help: "Continuously compounded risk-free rate per year, as a decimal (0.045 = 4.5%).")
    var rate: Double = 0

    @Option(name: .customLong("div-yield"), help: "Continuous dividend yield per year, as a decimal (0.013 = 1.3%).")
    var divYield: Double = 0

    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp(
            "Valuation instant, ISO-8601 with a zone (2026-01-05T14:30:00-05:00). Default: now.",
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
        guard spot.isFinite, spot > 0 else { throw ValidationError("--spot must be a finite number > 0, got \(spot)") }
        guard rate.isFinite else { throw ValidationError("--rate must be finite, got \(rate)") }
        guard divYield.isFinite else { throw ValidationError("--div-yield must be finite, got \(divYield)") }
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

    /// Spot, rate and dividend yield.
    var market: MarketParameters { MarketParameters(spot: spot, rate: rate, dividendYield: divYield) }

    /// The `--as-of` instant, or the start of the run.
    var valuationTime: Date { asOf.flatMap(ISO8601Timestamp.date(from:)) ?? RunClock.start }

    /// The time basis, with the `--min-days` floor when given.
    var timeBasis: TimeBasis {
        var basis = basisArgument.basis
        if let minDays { basis.minimumYears = minDays / basisArgument.daysPerYear }
        return basis
    }

    /// The time basis as given on the command line (`bus252 --min-days 1`).
    var timeBasisName: String { basisArgument.name + (minDays.map { " --min-days \($0)" } ?? "") }

    /// Whether the valuation time is "now" rather than given.
    var valuationIsNow: Bool { asOf == nil }

    /// The assumptions as `(name, value)` pairs, in print order.
    var assumptions: [(String, String)] {
        [
            ("spot", "\(spot) index points"),
            ("rate", "\(rate) per year, continuously compounded"),
            ("dividend yield", "\(divYield) per year, continuous"),
            (
                "as-of",
                ISO8601Timestamp.string(from: valuationTime) + (valuationIsNow ? " (now; pass --as-of to pin it)" : "")
            ),
            ("time basis", "\(timeBasisName): \(timeBasis)"),
            ("model", "Black-Scholes-Merton, European exercise, per unit of underlying"),
        ]
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

/// The chain-input flags shared by the commands that read a chain.
struct ChainInputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The option chain, a native chain CSV file.", valueName: "file"))
    var chain: String

    @Option(help: ArgumentHelp("Root symbol stored with the chain (e.g. SPX).", valueName: "name"))
    var underlying: String = ""

    @Flag(help: "Drop rows that fail to parse or check (each is reported) instead of stopping at the first.")
    var skipInvalid = false

    func validate() throws {
        guard !chain.isEmpty else { throw ValidationError("--chain needs a file path") }
    }

    /// Loads the chain, or prints the problem on stderr and exits with code 2.
    func load(market: MarketOptions) throws -> (chain: OptionChain, skipped: SkippedRows, ignoredColumns: [String]) {
        do {
            return try OptionChain.load(
                csvAt: chain, valuationTime: market.valuationTime, timeBasis: market.timeBasis,
                underlying: underlying, skipInvalid: skipInvalid)
        } catch let error as ChainError {
            StandardError.print("error: \(error)")
            throw ExitCode(2)
        }
    }
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
