import Foundation

/// How the time between a valuation instant and an expiry instant becomes a
/// year fraction `T`, the `T` of every Black-Scholes formula.
///
/// Tools that report gamma exposure disagree largely because they pick
/// different bases without saying so. GammaFlow makes the basis a value that is
/// printed with every result.
///
/// - ``act365``: calendar time to the second, `seconds / 31_536_000`
///   (ACT/365 Fixed). The default.
/// - ``businessDays(yearLength:intraday:minimumYears:)``: trading time,
///   business days to expiry divided by a year length such as 252 or 262
///   (weekends do not count; days are New York dates). With `intraday` the
///   count includes the fraction of the current and final day (every
///   weekday second counts `1/86_400` of a day); without it, the whole number
///   of weekdays from the valuation date (inclusive) to the expiry date
///   (exclusive), as `numpy.busday_count` counts them.
///
/// An optional ``minimumYears`` floors the year fraction of options that have
/// not yet expired; expired options (expiry not after valuation) always get
/// `T <= 0`, never the floor, so that callers can exclude them.
public struct TimeBasis: Sendable, Hashable, CustomStringConvertible {
    /// The clock that measures time to expiry.
    public enum Clock: Sendable, Hashable {
        /// Calendar seconds divided by `secondsPerYear` (31,536,000 for ACT/365).
        case calendarSeconds(secondsPerYear: Double)
        /// Weekdays (New York dates) divided by `daysPerYear`; with
        /// `intraday`, the fractions of the first and last day count too.
        case businessDays(daysPerYear: Double, intraday: Bool)
    }

    /// The clock.
    public var clock: Clock
    /// A floor, in years, applied to options that have not expired (`nil`: none).
    public var minimumYears: Double?

    /// Creates a basis from a clock and an optional floor in years.
    public init(clock: Clock, minimumYears: Double? = nil) {
        if case .calendarSeconds(let s) = clock {
            precondition(s > 0 && s.isFinite, "TimeBasis: secondsPerYear must be positive and finite, got \(s)")
        }
        if case .businessDays(let d, _) = clock {
            precondition(d > 0 && d.isFinite, "TimeBasis: daysPerYear must be positive and finite, got \(d)")
        }
        if let m = minimumYears {
            precondition(m >= 0 && m.isFinite, "TimeBasis: minimumYears must be >= 0 and finite, got \(m)")
        }
        self.clock = clock
        self.minimumYears = minimumYears
    }

    /// ACT/365 Fixed on seconds: `T = seconds / 31_536_000`. The default basis.
    public static let act365 = TimeBasis(clock: .calendarSeconds(secondsPerYear: 31_536_000))

    /// Trading time: business days divided by `yearLength` (e.g. 252 or 262).
    public static func businessDays(
        yearLength: Double, intraday: Bool, minimumYears: Double? = nil
    ) -> TimeBasis {
        TimeBasis(clock: .businessDays(daysPerYear: yearLength, intraday: intraday), minimumYears: minimumYears)
    }

    /// The year fraction from `valuation` to `expiry` (negative or zero when
    /// the option has expired).
    public func years(from valuation: Date, to expiry: Date) -> Double {
        let raw: Double
        switch clock {
        case .calendarSeconds(let secondsPerYear):
            raw = expiry.timeIntervalSince(valuation) / secondsPerYear
        case .businessDays(let daysPerYear, let intraday):
            let days =
                intraday
                ? NewYorkCalendar.weekdaySeconds(from: valuation, to: expiry) / 86_400
                : Double(NewYorkCalendar.weekdayCount(from: valuation, to: expiry))
            raw = days / daysPerYear
        }
        // Expired options keep their non-positive T: they are excluded, never floored.
        guard expiry > valuation, let floor = minimumYears else { return raw }
        return max(raw, floor)
    }

    /// The year fractions from `valuation` to each of `expiries`. A chain has
    /// few distinct expiries, so each distinct instant is measured once (the
    /// business-day clocks walk the calendar, which costs microseconds).
    public func years(from valuation: Date, to expiries: [Date]) -> [Double] {
        if case .calendarSeconds = clock { return expiries.map { years(from: valuation, to: $0) } }
        var cache: [Date: Double] = [:]
        return expiries.map { expiry in
            if let t = cache[expiry] { return t }
            let t = years(from: valuation, to: expiry)
            cache[expiry] = t
            return t
        }
    }

    /// A short label printed with results, e.g. `ACT/365 (seconds)` or
    /// `business days/262, whole days, floor 1/262`.
    public var description: String {
        var s: String
        switch clock {
        case .calendarSeconds(let spy):
            s = spy == 31_536_000 ? "ACT/365 (seconds / 31536000)" : "calendar seconds / \(spy)"
        case .businessDays(let d, let intraday):
            s = "business days / \(formatCompact(d)), \(intraday ? "with intraday fraction" : "whole days")"
        }
        if let m = minimumYears { s += ", floor \(formatCompact(m)) years" }
        return s
    }
}

func formatCompact(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
}
