import Foundation

/// Which instant on its expiration date an option stops having time value,
/// decided by the option's root (the letters before the date in its contract
/// code, `SPXW` in `SPXW240105C04700000`).
///
/// Index options listed by Cboe settle either AM, on the special opening
/// quotation of the expiration date (SPX, NDX and RUT monthlies), or PM, on the
/// closing value (SPXW, NDXP, RUTW weeklies and dailies, XSP, equity and ETF
/// options). GammaFlow takes the AM instant as 09:30 and the PM instant as
/// 16:00 New York time, converted through the America/New_York time zone so
/// that daylight saving is right on every date.
///
/// ```swift
/// let rule = SettlementRule.standard               // SPX, NDX, RUT AM; others PM
/// let custom = rule.overriding("DJX", with: .am)    // add a root
/// let naive = SettlementRule.allPM                  // what most tools assume
/// ```
public struct SettlementRule: Sendable, Hashable, CustomStringConvertible {
    /// A New York wall-clock time of settlement.
    public struct Time: Sendable, Hashable, CustomStringConvertible {
        /// Hour, 0...23, New York time.
        public var hour: Int
        /// Minute, 0...59.
        public var minute: Int

        /// Creates a time.
        /// - Precondition: `hour` in 0...23, `minute` in 0...59.
        public init(hour: Int, minute: Int) {
            precondition((0...23).contains(hour) && (0...59).contains(minute), "SettlementRule.Time: bad time")
            self.hour = hour
            self.minute = minute
        }

        /// AM settlement: 09:30 New York, the opening of the expiration date.
        public static let am = Time(hour: 9, minute: 30)
        /// PM settlement: 16:00 New York, the close of the expiration date.
        public static let pm = Time(hour: 16, minute: 0)

        /// `09:30 ET`.
        public var description: String {
            (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute) ET"
        }
    }

    /// Settlement times of named roots (exact, upper case).
    public var byRoot: [String: Time]
    /// The settlement time of every other root.
    public var otherwise: Time

    /// Creates a rule from per-root times and a default.
    public init(byRoot: [String: Time], otherwise: Time) {
        self.byRoot = Dictionary(uniqueKeysWithValues: byRoot.map { ($0.key.uppercased(), $0.value) })
        self.otherwise = otherwise
    }

    /// SPX, NDX and RUT (the AM-settled monthly roots) at 09:30; every other
    /// root (SPXW, NDXP, RUTW, XSP, equities, ...) at 16:00. The default.
    public static let standard = SettlementRule(byRoot: ["SPX": .am, "NDX": .am, "RUT": .am], otherwise: .pm)

    /// Every option at 16:00, the assumption of tools that ignore AM
    /// settlement; for comparison.
    public static let allPM = SettlementRule(byRoot: [:], otherwise: .pm)

    /// The same rule with `root` settled at `time`.
    public func overriding(_ root: String, with time: Time) -> SettlementRule {
        var copy = self
        copy.byRoot[root.uppercased()] = time
        return copy
    }

    /// The settlement time of `root`.
    public func time(forRoot root: Substring) -> Time {
        byRoot[String(root)] ?? otherwise
    }

    /// The expiry instant of an option with this `root` expiring on `day`, or
    /// `nil` if the date does not exist.
    public func expiry(root: Substring, on day: ExpirationDay) -> Date? {
        let t = time(forRoot: root)
        return NewYorkCalendar.instant(year: day.year, month: day.month, day: day.day, hour: t.hour, minute: t.minute)
    }

    /// E.g. `NDX, RUT, SPX at 09:30 ET; others at 16:00 ET`.
    public var description: String {
        let groups = Dictionary(grouping: byRoot.filter { $0.value != otherwise }, by: \.value)
        var parts = groups.keys.sorted { ($0.hour, $0.minute) < ($1.hour, $1.minute) }.map { time in
            groups[time, default: []].map(\.key).sorted().joined(separator: ", ") + " at \(time)"
        }
        parts.append((parts.isEmpty ? "all" : "others") + " at \(otherwise)")
        return parts.joined(separator: "; ")
    }
}
